import { existsSync, readFileSync } from 'node:fs';
import { BootlineError } from '../../errors.js';
import { revisionOf } from '../../voice/load.js';
import { FlowHistory } from './history.js';
import { writeAtomic, type Author, type FlowState, type RevisionKind, type RevisionRecord } from './store.js';
import { checkSize, expectReadable, unifiedDiff, validateFlowText } from './text.js';

export type { Author, RevisionRecord } from './store.js';
export type { FlowSummary } from './history.js';

const FLOW_ID = /^[a-z][a-z0-9-]{0,40}$/;

/**
 * Draft → publish with history, on top of plain files. The flow file in FLOWS_DIR is what is
 * live; every version that went live is a numbered revision in the store beside it. Drafts
 * may be invalid (an operator saves work in progress); publishing validates, writes the file
 * atomically, switches this process's registry at once (other processes follow through their
 * watcher) and records the revision. A hand edit of the file is picked up on the next look:
 * as a revision when valid, as the draft when not (so it is neither lost nor live).
 */
export class FlowAdmin extends FlowHistory {
  saveDraft(id: string, rawText: unknown, seq: number, author: Author) {
    const text = checkSize(rawText);
    if (!FLOW_ID.test(id)) throw new BootlineError('BAD_REQUEST', 'flow ids are lower-case letters, digits and dashes');
    // Work in progress may break flow rules, not YAML: an unreadable text would break every page showing it.
    expectReadable(id, text);
    this.sync(id);
    return this.store.locked(id, () => {
      const st = this.expect(id, seq);
      const next: FlowState = {
        seq: st.seq + 1,
        draft: { text, author, updatedAt: new Date().toISOString() },
        diskSeen: st.diskSeen,
      };
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
  publish(
    id: string,
    o: {
      seq: number;
      baseRevision?: string;
      message: string;
      author: Author;
      tests?: { passed: number; failed: number };
      testsOverride?: string;
    },
  ): RevisionRecord {
    this.sync(id);
    return this.store.locked(id, () => {
      const st = this.expect(id, o.seq);
      const head = this.store.head(id);
      this.expectBase(id, head, o.baseRevision, st.draft?.text ?? '');
      if (!st.draft) throw new BootlineError('FLOW_REVISION_UNKNOWN', `flow "${id}" has no draft to publish`);
      const record = this.goLive(id, st.draft.text, head, {
        kind: 'publish',
        author: o.author,
        message: o.message,
        ...(o.tests ? { tests: o.tests } : {}),
        ...(o.testsOverride ? { testsOverride: o.testsOverride } : {}),
      });
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
      if (head?.revision === revisionOf(text))
        throw new BootlineError('FLOW_CONFLICT', `that text is already live (revision ${head.n})`);
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
      if (head?.revision === target.revision)
        throw new BootlineError('FLOW_CONFLICT', `revision ${target.n} is already live`, {
          public: { seq: this.store.state(id).seq },
        });
      const record = this.goLive(id, text, head, {
        kind: 'rollback',
        author: o.author,
        message: o.message?.trim() || `roll back to revision ${target.n}`,
      });
      const st = this.store.state(id);
      this.store.setState(id, { ...st, seq: st.seq + 1, diskSeen: record.revision });
      return record;
    });
  }

  private expect(id: string, seq: number): FlowState {
    const st = this.store.state(id);
    if (seq === st.seq) return st;
    throw new BootlineError(
      'FLOW_CONFLICT',
      `flow "${id}" was changed by ${st.draft?.author.name ?? 'someone else'} since you loaded it ` +
        `(version ${seq}, now ${st.seq}); review the diff and save again`,
      {
        public: { seq: st.seq, draftAuthor: st.draft?.author ?? null, draftUpdatedAt: st.draft?.updatedAt ?? null },
      },
    );
  }

  private expectBase(id: string, head: RevisionRecord | null, base: string | undefined, mine: string): void {
    if (base === undefined || base === (head?.revision ?? '')) return;
    const live = head ? this.store.text(id, head.revision)! : '';
    throw new BootlineError(
      'FLOW_CONFLICT',
      `the published version of "${id}" changed since you loaded it (now revision ${head?.n ?? 0}); review the diff`,
      {
        public: {
          seq: this.store.state(id).seq,
          published: head?.revision ?? null,
          diff: unifiedDiff(`${id}.yaml (published now)`, live, `${id}.yaml (yours)`, mine),
        },
      },
    );
  }

  /** Validates, writes the file atomically, switches the registry, records the revision. */
  private goLive(
    id: string,
    text: string,
    head: RevisionRecord | null,
    o: { kind: RevisionKind; author: Author; message: string } & Pick<RevisionRecord, 'tests' | 'testsOverride'>,
  ): RevisionRecord {
    const v = validateFlowText(id, text);
    if (!v.valid)
      throw new BootlineError('FLOW_DRAFT_INVALID', `flow "${id}" is invalid; nothing was published`, {
        public: { problems: v.problems },
      });
    const file = this.fileOf(id);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    writeAtomic(file, text);
    const res = this.deps.registry.reloadFile(file);
    if (!res.ok) {
      if (before !== null) writeAtomic(file, before);
      throw new BootlineError('FLOW_DRAFT_INVALID', res.error.message, {
        public: { problems: res.error.details.problems ?? [] },
      });
    }
    const record = this.record(id, text, head, o);
    this.deps.logger?.info(
      { flow: id, revision: record.revision, n: record.n, kind: o.kind, author: o.author.name },
      'flow published',
    );
    return record;
  }
}
