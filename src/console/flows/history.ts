import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import { revisionOf } from '../../voice/load.js';
import { readFlowText } from '../../voice/flow-text.js';
import type { FlowRegistry } from '../../voice/registry.js';
import type { FlowWatcher } from '../../voice/watch.js';
import { RevisionStore, type Author, type RevisionKind, type RevisionRecord } from './store.js';
import { diffStats, unifiedDiff, validateFlowText } from './text.js';

const DISK: Author = { name: 'edited on disk', role: 'file' };

export interface FlowSummary {
  readonly id: string;
  readonly file: string;
  readonly status: 'published' | 'draft' | 'new' | 'error';
  /** Why the flow could not be summarised (status "error"). */
  readonly error?: string;
  readonly seq: number;
  readonly live: string | null;
  readonly published: Pick<RevisionRecord, 'n' | 'revision' | 'version' | 'at' | 'author' | 'message'> | null;
  readonly draft: {
    readonly author: Author;
    readonly updatedAt: string;
    readonly valid: boolean;
    readonly problems: number;
  } | null;
}

/**
 * The read side of flow administration and the pick-up of hand edits: list, get, history,
 * texts of any version, diffs. FlowAdmin (service.ts) adds the changes.
 */
export class FlowHistory {
  readonly store: RevisionStore;

  constructor(protected readonly deps: { flowsDir: string; registry: FlowRegistry; logger?: Logger }) {
    this.store = new RevisionStore(deps.flowsDir);
    // Test callers (FLOW_TEST_CALLERS) reach the draft as it is on disk now, in any process.
    deps.registry.withDrafts((id) => {
      const draft = /^[a-z][a-z0-9-]{0,40}$/.test(id) ? this.store.state(id).draft : null;
      const v = draft ? validateFlowText(id, draft.text) : null;
      return v?.valid ? v.flow : null;
    });
  }

  /** Hand edits seen by the hot-reload watcher are recorded without waiting for a console visit. */
  attach(watcher: FlowWatcher): this {
    const idOfFile = (file: string) =>
      this.deps.registry.ids().find((i) => this.deps.registry.get(i).file === file) ??
      basename(file).replace(/\.ya?ml$/, '');
    const safely = (id: string) => {
      try {
        this.sync(id);
      } catch (err) {
        this.deps.logger?.warn({ err: (err as Error).message, flow: id }, 'flow history sync failed');
      }
    };
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
    const read = readFlowText(file);
    const text = 'text' in read ? read.text : null;
    // A file that is not text bootline reads has no revision; its change time stands in, so it is looked at once.
    const rev = text !== null ? revisionOf(text) : `unreadable@${statSync(file).mtimeMs}`;
    if (this.store.state(id).diskSeen === rev) return;
    this.store.locked(id, () => {
      const st = this.store.state(id);
      const head = this.store.head(id);
      if (st.diskSeen === rev) return;
      if (head?.revision !== rev) {
        const v = text === null ? null : validateFlowText(id, text);
        if (text === null || !v?.readable) {
          const why = v ? v.problems[0]?.message : 'problem' in read ? read.problem.message : '';
          this.deps.logger?.warn(
            { flow: id, problem: why },
            'flow file on disk is not YAML bootline can read; not kept as the draft (the last good version serves)',
          );
        } else if (v.valid) {
          this.record(id, text, head, {
            kind: head ? 'disk' : 'initial',
            author: DISK,
            message: head ? 'edited on disk' : 'first seen on disk',
          });
        } else {
          this.deps.logger?.warn(
            { flow: id, problems: v.problems.length },
            'flow file edited on disk is invalid; kept as the draft',
          );
          this.store.setState(id, {
            seq: st.seq + 1,
            draft: { text, author: DISK, updatedAt: new Date().toISOString() },
            diskSeen: rev,
          });
          return;
        }
      }
      // A valid file on disk supersedes a broken hand edit kept as the draft (it was fixed or
      // restored there): that draft goes, or it would keep claiming "edited on disk · N problems".
      const now = this.store.state(id);
      const stale = now.draft?.author.role === DISK.role;
      this.store.setState(id, { seq: now.seq + (stale ? 1 : 0), draft: stale ? null : now.draft, diskSeen: rev });
    });
  }

  /** Every flow's summary; one that cannot be read is listed with why, never failing the list. */
  list(): FlowSummary[] {
    return this.ids().map((id) => {
      try {
        return this.summary(id);
      } catch (err) {
        this.deps.logger?.warn({ flow: id, err: (err as Error).message }, 'flow summary failed');
        return { ...this.brokenSummary(id), error: (err as Error).message.slice(0, 200) };
      }
    });
  }

  private brokenSummary(id: string): FlowSummary {
    return { id, file: basename(this.fileOf(id)), status: 'error', seq: 0, live: null, published: null, draft: null };
  }

  summary(id: string): FlowSummary {
    this.sync(id);
    const st = this.store.state(id);
    const head = this.store.head(id);
    const problems = st.draft ? validateFlowText(id, st.draft.text).problems.length : 0;
    return {
      id,
      file: basename(this.fileOf(id)),
      status: st.draft ? (head ? 'draft' : 'new') : 'published',
      seq: st.seq,
      live: this.deps.registry.has(id) ? this.deps.registry.get(id).revision : null,
      published: head
        ? {
            n: head.n,
            revision: head.revision,
            version: head.version,
            at: head.at,
            author: head.author,
            message: head.message,
          }
        : null,
      draft: st.draft
        ? { author: st.draft.author, updatedAt: st.draft.updatedAt, valid: problems === 0, problems }
        : null,
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

  protected record(
    id: string,
    text: string,
    head: RevisionRecord | null,
    o: { kind: RevisionKind; author: Author; message: string } & Pick<RevisionRecord, 'tests' | 'testsOverride'>,
  ): RevisionRecord {
    const prev = head ? (this.store.text(id, head.revision) ?? '') : '';
    const version = validateFlowText(id, text);
    return this.store.append(id, text, {
      revision: revisionOf(text),
      version: version.valid ? version.flow.version : 0,
      kind: o.kind,
      author: o.author,
      at: new Date().toISOString(),
      message: o.message,
      parent: head?.revision ?? null,
      ...diffStats(prev, text),
      ...(o.tests ? { tests: o.tests } : {}),
      ...(o.testsOverride ? { testsOverride: o.testsOverride } : {}),
    });
  }
}
