import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BootlineError } from '../../errors.js';

/** Who changed a flow: the name given at console login (or the API's X-Bootline-Author) and the token's role. */
export interface Author {
  readonly name: string;
  readonly role: string;
}

export type RevisionKind = 'initial' | 'publish' | 'rollback' | 'disk';

/** One published revision: what went live, when, by whom, why, and how much changed. */
export interface RevisionRecord {
  readonly n: number;
  readonly revision: string;
  readonly version: number;
  readonly kind: RevisionKind;
  readonly author: Author;
  readonly at: string;
  readonly message: string;
  readonly parent: string | null;
  readonly added: number;
  readonly removed: number;
  /** The flow tests run on this text before it went live (console and API publishes). */
  readonly tests?: { readonly passed: number; readonly failed: number };
  /** Why it was published although its tests failed (the operator's words). */
  readonly testsOverride?: string;
}

export interface Draft {
  readonly text: string;
  readonly author: Author;
  readonly updatedAt: string;
}

/**
 * Per-flow state beside the log. `seq` only ever grows (every save, discard, publish and
 * rollback bumps it), so a client that echoes the seq it read can never overwrite a change
 * it has not seen, even after the draft was published and a new one started (no ABA).
 * `diskSeen` is the revision of the flow file last taken into account, so a hand edit is
 * picked up exactly once.
 */
export interface FlowState {
  readonly seq: number;
  readonly draft: Draft | null;
  readonly diskSeen: string | null;
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 1_000;

/**
 * The revision store: plain files in `<FLOWS_DIR>/.history/<flow id>/` beside the flow files
 * (which stay the source of truth for what is live): `log.jsonl` (one RevisionRecord a line,
 * append-only), `<revision>.yaml` (the text of each revision) and `state.json`. Every
 * method is synchronous: inside one process no two operations interleave; across processes
 * `locked()` holds a lock directory (mkdir is atomic).
 */
export class RevisionStore {
  constructor(readonly flowsDir: string) {}

  private dir(id: string): string {
    return join(this.flowsDir, '.history', id);
  }

  /** Flow ids that have history (a draft of a new flow has history but no file yet). */
  ids(): string[] {
    const root = join(this.flowsDir, '.history');
    if (!existsSync(root)) return [];
    return readdirSync(root).filter((d) => /^[a-z][a-z0-9-]{0,40}$/.test(d) && statSync(join(root, d)).isDirectory());
  }

  log(id: string): RevisionRecord[] {
    const file = join(this.dir(id), 'log.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RevisionRecord);
  }

  head(id: string): RevisionRecord | null {
    return this.log(id).at(-1) ?? null;
  }

  text(id: string, revision: string): string | null {
    if (!/^[0-9a-f]{16}$/.test(revision)) return null;
    const file = join(this.dir(id), `${revision}.yaml`);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  }

  /** Stores a revision's text (idempotent: the name is its hash) and appends its record. */
  append(id: string, text: string, record: Omit<RevisionRecord, 'n'>): RevisionRecord {
    mkdirSync(this.dir(id), { recursive: true });
    const textFile = join(this.dir(id), `${record.revision}.yaml`);
    if (!existsSync(textFile)) writeAtomic(textFile, text);
    const full: RevisionRecord = { n: (this.head(id)?.n ?? 0) + 1, ...record };
    appendFileSync(join(this.dir(id), 'log.jsonl'), JSON.stringify(full) + '\n');
    return full;
  }

  state(id: string): FlowState {
    const file = join(this.dir(id), 'state.json');
    if (!existsSync(file)) return { seq: 0, draft: null, diskSeen: null };
    return JSON.parse(readFileSync(file, 'utf8')) as FlowState;
  }

  setState(id: string, state: FlowState): void {
    mkdirSync(this.dir(id), { recursive: true });
    writeAtomic(join(this.dir(id), 'state.json'), JSON.stringify(state, null, 1));
  }

  /** Runs `fn` holding the flow's lock, shared by every process using this folder. */
  locked<T>(id: string, fn: () => T): T {
    mkdirSync(this.dir(id), { recursive: true });
    const lock = join(this.dir(id), '.lock');
    const end = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        // A holder that died leaves its lock behind; past the stale age it is taken over.
        if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
          rmdirSync(lock);
          continue;
        }
        if (Date.now() > end)
          throw new BootlineError('FLOW_CONFLICT', `flow "${id}" is being changed by another process; try again`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
    try {
      return fn();
    } finally {
      rmdirSync(lock);
    }
  }
}

/**
 * Writes a file so readers see the old or the new content, never a mix: a temp file in the
 * same folder (a name the flow watcher ignores), fsync, rename over the target.
 */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
