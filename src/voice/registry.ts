import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BootlineError, isBootlineError } from '../errors.js';
import type { Flow } from './flow.js';
import { flowInvalid, loadFlowFile, parseFlow, type FlowProblem } from './load.js';

/** Where flow revisions outlive this process, so any web process can finish any call. */
export interface FlowArchive {
  save(flow: Flow): Promise<void>;
  load(id: string, revision: string): Promise<string | null>;
}

/** Re-archive a revision in use at most this often (the archive's TTL is far longer). */
const ARCHIVE_EVERY_MS = 10 * 60_000;
/**
 * Revisions kept in memory. Each reload and each console preview adds one; past this the
 * least recently used is dropped (a call still on it reloads it from the archive).
 */
const REVISIONS_IN_MEMORY = 64;
/** A console preview (a draft or an old revision a simulated call runs on) lives this long. */
const PREVIEW_TTL_MS = 30 * 60_000;

export type ReloadResult =
  | { readonly ok: true; readonly flow: Flow; readonly changed: boolean }
  | { readonly ok: false; readonly error: BootlineError };

/**
 * Holds the current version of every flow and every revision a live call may still be on.
 * Loading a directory refuses any invalid file with the precise problems; reloading one
 * file keeps the last good version when the new text is invalid.
 */
export class FlowRegistry {
  private readonly current = new Map<string, Flow>();
  private readonly revisions = new Map<string, Flow>();
  private readonly archivedAt = new Map<string, number>();
  private readonly previews = new Map<string, { flow: Flow; until: number }>();
  private archive: FlowArchive | null = null;
  private drafts: ((id: string) => Flow | null) | null = null;

  /** Every problem of every file at once; duplicate flow ids are refused too. */
  static fromDirectory(dir: string): FlowRegistry {
    const reg = new FlowRegistry();
    const problems: FlowProblem[] = [];
    const files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    for (const f of files) {
      const file = join(dir, f);
      try {
        const flow = loadFlowFile(file);
        const other = reg.current.get(flow.id);
        if (other)
          problems.push({ file, line: 1, path: 'id', message: `flow id "${flow.id}" is also used by ${other.file}` });
        else reg.add(flow);
      } catch (err) {
        if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
        problems.push(...(err.details.problems as FlowProblem[]));
      }
    }
    if (problems.length) throw flowInvalid(dir, problems);
    return reg;
  }

  static of(...flows: Flow[]): FlowRegistry {
    const reg = new FlowRegistry();
    for (const f of flows) reg.add(f);
    return reg;
  }

  withArchive(archive: FlowArchive): this {
    this.archive = archive;
    return this;
  }

  /** Where a flow's current draft comes from (the console's revision store): test callers reach it. */
  withDrafts(source: (id: string) => Flow | null): this {
    this.drafts = source;
    return this;
  }

  /**
   * The flow's current draft when it is valid and differs from what is live, else null. Kept
   * like any revision a call runs on, so the call finishes on it.
   */
  draft(id: string): Flow | null {
    const d = this.drafts?.(id) ?? null;
    if (!d || d.revision === this.current.get(id)?.revision) return null;
    this.keep(d);
    return d;
  }

  add(flow: Flow): void {
    this.current.set(flow.id, flow);
    this.keep(flow);
  }

  private keep(flow: Flow): void {
    const key = `${flow.id}@${flow.revision}`;
    this.revisions.delete(key);
    this.revisions.set(key, flow);
    for (const k of this.revisions.keys()) {
      if (this.revisions.size <= REVISIONS_IN_MEMORY) break;
      const f = this.revisions.get(k)!;
      if (this.current.get(f.id) !== f) {
        this.revisions.delete(k);
        this.archivedAt.delete(k);
      }
    }
  }

  /**
   * Makes a version that is not live (a draft, an old revision) callable under a one-off,
   * unguessable id, for the console's simulated calls: `/voice/incoming?flow=<that id>`.
   * The call itself records the flow's real id and revision, like any call, so it runs to
   * the end on that version. Real callers never reach it (Twilio's URL names the live flow).
   */
  preview(flow: Flow): string {
    const now = Date.now();
    for (const [k, p] of this.previews) if (p.until < now) this.previews.delete(k);
    // Shaped like a flow id (lower-case, digits, dashes), so any check of ?flow= lets it through.
    const id = `sim-${randomBytes(8).toString('hex')}`;
    this.previews.set(id, { flow, until: now + PREVIEW_TTL_MS });
    this.keep(flow);
    return id;
  }

  get(id: string): Flow {
    const f = this.current.get(id) ?? this.previewFlow(id);
    if (!f) throw new BootlineError('FLOW_UNKNOWN', `no flow "${id}"`);
    return f;
  }

  private previewFlow(id: string): Flow | undefined {
    const p = this.previews.get(id);
    return p && p.until > Date.now() ? p.flow : undefined;
  }

  has(id: string): boolean {
    return this.current.has(id);
  }

  ids(): string[] {
    return [...this.current.keys()];
  }

  /** Re-reads one file. Invalid text changes nothing: calls keep the last good version. */
  reloadFile(file: string): ReloadResult {
    try {
      const flow = loadFlowFile(file);
      const before = this.current.get(flow.id);
      if (before && before.file !== file)
        throw new BootlineError('FLOW_INVALID', `flow id "${flow.id}" is already used by ${before.file}`, {
          file,
          problems: [],
        });
      this.add(flow);
      return { ok: true, flow, changed: before?.revision !== flow.revision };
    } catch (err) {
      if (isBootlineError(err)) return { ok: false, error: err };
      return {
        ok: false,
        error: new BootlineError('FLOW_INVALID', `cannot read ${file}: ${(err as Error).message}`, {
          file,
          problems: [],
        }),
      };
    }
  }

  /**
   * The exact revision a call started on: from memory, else from the archive (another
   * process loaded it), else null — the caller decides what a lost revision means.
   */
  async revision(id: string, revision: string): Promise<Flow | null> {
    const key = `${id}@${revision}`;
    const known = this.revisions.get(key);
    if (known) return known;
    const text = await this.archive?.load(id, revision);
    if (!text) return null;
    const flow = parseFlow(`${id}@${revision}`, text);
    this.keep(flow);
    return flow;
  }

  /** Makes sure the revision a new call starts on can be found by every process. */
  async remember(flow: Flow): Promise<void> {
    if (!this.archive) return;
    const key = `${flow.id}@${flow.revision}`;
    if (Date.now() - (this.archivedAt.get(key) ?? 0) < ARCHIVE_EVERY_MS) return;
    await this.archive.save(flow);
    this.archivedAt.set(key, Date.now());
  }
}
