import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import { revisionOf } from '../voice/load.js';
import type { FlowRegistry } from '../voice/registry.js';
import type { FlowWatcher } from '../voice/watch.js';
import { RevisionStore, writeAtomic, type Author, type FlowState, type RevisionKind, type RevisionRecord } from './store.js';
import { checkSize, diffStats, unifiedDiff, validateFlowText } from './text.js';

export type { Author, RevisionRecord } from './store.js';

const DISK: Author = { name: 'edited on disk', role: 'file' };
const FLOW_ID = /^[a-z][a-z0-9-]{0,40}$/;

export interface FlowSummary {
  readonly id: string;
  readonly file: string;
  readonly status: 'published' | 'draft' | 'new';
  readonly seq: number;
  readonly live: string | null;
  readonly published: Pick<RevisionRecord, 'n' | 'revision' | 'version' | 'at' | 'author' | 'message'> | null;
  readonly draft: { readonly author: Author; readonly updatedAt: string; readonly valid: boolean; readonly problems: number } | null;
}

/**
 * Draft → publish with history, on top of plain files. The flow file in FLOWS_DIR is what is
 * live; every version that went live is a numbered revision in the store beside it. Drafts
 * may be invalid (an operator saves work in progress); publishing validates, writes the file
 * atomically, switches this process's registry at once (other processes follow through their
 * watcher) and records the revision. A hand edit of the file is picked up on the next look:
 * as a revision when valid, as the draft when not (so it is neither lost nor live).
 */
export class FlowAdmin {
  readonly store: RevisionStore;

  constructor(private readonly deps: { flowsDir: string; registry: FlowRegistry; logger?: Logger }) {
    this.store = new RevisionStore(deps.flowsDir);
  }

  /** Hand edits seen by the hot-reload watcher are recorded without waiting for a console visit. */
  attach(watcher: FlowWatcher): this {
    const idOfFile = (file: string) => this.deps.registry.ids().find((i) => this.deps.registry.get(i).file === file) ?? basename(file).replace(/\.ya?ml$/, '');
    const safely = (id: string) => { try { this.sync(id); } catch (err) { this.deps.logger?.warn({ err: (err as Error).message, flow: id }, 'flow history sync failed'); } };
    watcher.on('reloaded', (flow) => safely(flow.id));
    watcher.on('rejected', (file) => safely(idOfFile(file)));
    return this;
  }

  fileOf(id: string): string {
    return this.deps.registry.has(id) ? this.deps.registry.get(id).file : join(this.deps.flowsDir, `${id}.yaml`);
  }

  ids(): string[] {
    return [...new Set([...this.deps.registry.ids(), ...this.store.ids()])].sort();
  }

  /** Takes a changed flow file into the history exactly once (see the class comment). */
  sync(id: string): void {
    const file = this.fileOf(id);
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    const rev = revisionOf(text);
    if (this.store.state(id).diskSeen === rev) return;
    this.store.locked(id, () => {
      const st = this.store.state(id);
      const head = this.store.head(id);
      if (st.diskSeen === rev) return;
      if (head?.revision !== rev) {
        const v = validateFlowText(id, text);
        if (v.valid) {
          this.record(id, text, head, { kind: head ? 'disk' : 'initial', author: DISK, message: head ? 'edited on disk' : 'first seen on disk' });
        } else {
          this.deps.logger?.warn({ flow: id, problems: v.problems.length }, 'flow file edited on disk is invalid; kept as the draft');
          this.store.setState(id, { seq: st.seq + 1, draft: { text, author: DISK, updatedAt: new Date().toISOString() }, diskSeen: rev });
          return;
        }
      }
      this.store.setState(id, { ...this.store.state(id), diskSeen: rev });
    });
  }

  list(): FlowSummary[] {
    return this.ids().map((id) => this.summary(id));
  }

  summary(id: string): FlowSummary {
    this.sync(id);
    const st = this.store.state(id);
    const head = this.store.head(id);
    const problems = st.draft ? validateFlowText(id, st.draft.text).problems.length : 0;
    return {
      id, file: basename(this.fileOf(id)), status: st.draft ? (head ? 'draft' : 'new') : 'published', seq: st.seq,
      live: this.deps.registry.has(id) ? this.deps.registry.get(id).revision : null,
      published: head ? { n: head.n, revision: head.revision, version: head.version, at: head.at, author: head.author, message: head.message } : null,
      draft: st.draft ? { author: st.draft.author, updatedAt: st.draft.updatedAt, valid: problems === 0, problems } : null,
    };
  }

  /** The published text and the draft (with its problems), plus the seq a save must echo. */
  get(id: string) {
    const summary = this.summary(id);
    if (!summary.published && !summary.draft) throw new BootlineError('FLOW_UNKNOWN', `no flow "${id}"`);
    const st = this.store.state(id);
    return {
      ...summary,
      publishedText: summary.published ? this.store.text(id, summary.published.revision) : null,
      draftText: st.draft?.text ?? null,
      problems: st.draft ? validateFlowText(id, st.draft.text).problems : [],
    };
  }

  /** Saves work in progress (valid or not). Refused when someone else changed the flow since `seq`. */
  saveDraft(id: string, rawText: unknown, seq: number, author: Author) {
    const text = checkSize(rawText);
    if (!FLOW_ID.test(id)) throw new BootlineError('BAD_REQUEST', 'flow ids are lower-case letters, digits and dashes');
    this.sync(id);
    return this.store.locked(id, () => {
      const st = this.expect(id, seq);
      const next: FlowState = { seq: st.seq + 1, draft: { text, author, updatedAt: new Date().toISOString() }, diskSeen: st.diskSeen };
      this.store.setState(id, next);
      return { seq: next.seq, problems: validateFlowText(id, text).problems };
    });
  }

  discardDraft(id: string, seq: number): { seq: number } {
    this.sync(id);
    return this.store.locked(id, () => {
      const st = this.expect(id, seq);
      if (!st.draft) throw new BootlineError('FLOW_REVISION_UNKNOWN', `flow "${id}" has no draft`);
      this.store.setState(id, { ...st, seq: st.seq + 1, draft: null });
      return { seq: st.seq + 1 };
    });
  }

  /**
   * Makes the draft live. `seq` must be the one the operator reviewed (so a save by someone
   * else in between is not published unseen); `baseRevision`, when given, the published
   * revision their diff was against.
   */
  publish(id: string, o: { seq: number; baseRevision?: string; message: string; author: Author }): RevisionRecord {
    this.sync(id);
    return this.store.locked(id, () => {
      const st = this.expect(id, o.seq);
      const head = this.store.head(id);
      this.expectBase(id, head, o.baseRevision, st.draft?.text ?? '');
      if (!st.draft) throw new BootlineError('FLOW_REVISION_UNKNOWN', `flow "${id}" has no draft to publish`);
      const record = this.goLive(id, st.draft.text, head, { kind: 'publish', author: o.author, message: o.message });
      this.store.setState(id, { seq: st.seq + 1, draft: null, diskSeen: record.revision });
      return record;
    });
  }

  /**
   * Publishes a text directly (the CLI), leaving any draft alone: the console's own publish
   * then meets a new published revision and is refused by its baseRevision check.
   */
  publishText(id: string, rawText: unknown, o: { message: string; author: Author }): RevisionRecord {
    const text = checkSize(rawText);
    if (!FLOW_ID.test(id)) throw new BootlineError('BAD_REQUEST', 'flow ids are lower-case letters, digits and dashes');
    this.sync(id);
    return this.store.locked(id, () => {
      const head = this.store.head(id);
      if (head?.revision === revisionOf(text)) throw new BootlineError('FLOW_CONFLICT', `that text is already live (revision ${head.n})`);
      const record = this.goLive(id, text, head, { kind: 'publish', author: o.author, message: o.message });
      this.store.setState(id, { ...this.store.state(id), diskSeen: record.revision });
      return record;
    });
  }

  /** Publishes an earlier revision again, as a new revision (the history only grows). The draft is kept. */
  rollback(id: string, o: { to: string; baseRevision?: string; message?: string; author: Author }): RevisionRecord {
    this.sync(id);
    return this.store.locked(id, () => {
      const head = this.store.head(id);
      const target = this.findRevision(id, o.to);
      const text = this.store.text(id, target.revision)!;
      this.expectBase(id, head, o.baseRevision, text);
      if (head?.revision === target.revision) throw new BootlineError('FLOW_CONFLICT', `revision ${target.n} is already live`, { public: { seq: this.store.state(id).seq } });
      const record = this.goLive(id, text, head, { kind: 'rollback', author: o.author, message: o.message?.trim() || `roll back to revision ${target.n}` });
      const st = this.store.state(id);
      this.store.setState(id, { ...st, seq: st.seq + 1, diskSeen: record.revision });
      return record;
    });
  }

  revisions(id: string): RevisionRecord[] {
    this.sync(id);
    return this.store.log(id).reverse();
  }

  findRevision(id: string, ref: string): RevisionRecord {
    const log = this.store.log(id);
    const r = /^\d{1,9}$/.test(ref) ? log.find((x) => x.n === Number(ref)) : log.find((x) => x.revision === ref);
    if (!r) throw new BootlineError('FLOW_REVISION_UNKNOWN', `flow "${id}" has no revision "${ref}"`);
    return r;
  }

  /** Text of `published`, `draft` (the published text when there is no draft), a revision number or hash. */
  textOf(id: string, ref: string): { text: string; label: string } {
    this.sync(id);
    const st = this.store.state(id);
    const head = this.store.head(id);
    if (ref === 'draft' && st.draft) return { text: st.draft.text, label: 'draft' };
    if (ref === 'draft' || ref === 'published') {
      if (!head) throw new BootlineError('FLOW_REVISION_UNKNOWN', `flow "${id}" has no published revision`);
      return { text: this.store.text(id, head.revision)!, label: `published (revision ${head.n})` };
    }
    const r = this.findRevision(id, ref);
    return { text: this.store.text(id, r.revision)!, label: `revision ${r.n}` };
  }

  diff(id: string, from: string, to: string): string {
    const a = this.textOf(id, from);
    const b = this.textOf(id, to);
    return unifiedDiff(`${id}.yaml (${a.label})`, a.text, `${id}.yaml (${b.label})`, b.text);
  }

  private expect(id: string, seq: number): FlowState {
    const st = this.store.state(id);
    if (seq === st.seq) return st;
    throw new BootlineError('FLOW_CONFLICT', `flow "${id}" was changed by ${st.draft?.author.name ?? 'someone else'} since you loaded it (version ${seq}, now ${st.seq}); review the diff and save again`, {
      public: { seq: st.seq, draftAuthor: st.draft?.author ?? null, draftUpdatedAt: st.draft?.updatedAt ?? null },
    });
  }

  private expectBase(id: string, head: RevisionRecord | null, base: string | undefined, mine: string): void {
    if (base === undefined || base === (head?.revision ?? '')) return;
    const live = head ? this.store.text(id, head.revision)! : '';
    throw new BootlineError('FLOW_CONFLICT', `the published version of "${id}" changed since you loaded it (now revision ${head?.n ?? 0}); review the diff`, {
      public: { seq: this.store.state(id).seq, published: head?.revision ?? null, diff: unifiedDiff(`${id}.yaml (published now)`, live, `${id}.yaml (yours)`, mine) },
    });
  }

  /** Validates, writes the file atomically, switches the registry, records the revision. */
  private goLive(id: string, text: string, head: RevisionRecord | null, o: { kind: RevisionKind; author: Author; message: string }): RevisionRecord {
    const v = validateFlowText(id, text);
    if (!v.valid) throw new BootlineError('FLOW_DRAFT_INVALID', `flow "${id}" is invalid; nothing was published`, { public: { problems: v.problems } });
    const file = this.fileOf(id);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    writeAtomic(file, text);
    const res = this.deps.registry.reloadFile(file);
    if (!res.ok) {
      if (before !== null) writeAtomic(file, before);
      throw new BootlineError('FLOW_DRAFT_INVALID', res.error.message, { public: { problems: res.error.details.problems ?? [] } });
    }
    const record = this.record(id, text, head, o);
    this.deps.logger?.info({ flow: id, revision: record.revision, n: record.n, kind: o.kind, author: o.author.name }, 'flow published');
    return record;
  }

  private record(id: string, text: string, head: RevisionRecord | null, o: { kind: RevisionKind; author: Author; message: string }): RevisionRecord {
    const prev = head ? this.store.text(id, head.revision) ?? '' : '';
    const version = validateFlowText(id, text);
    return this.store.append(id, text, {
      revision: revisionOf(text), version: version.valid ? version.flow.version : 0, kind: o.kind, author: o.author,
      at: new Date().toISOString(), message: o.message, parent: head?.revision ?? null, ...diffStats(prev, text),
    });
  }
}
