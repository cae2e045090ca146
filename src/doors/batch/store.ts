import { createHmac, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { runScript } from '../../platform/redis/scripts.js';
import { seal, unseal } from '../../platform/seal.js';
import type { BatchRow } from './rows.js';
import { BATCH_APPLY, BATCH_SEEN, MOVABLE_STATES, ROW_STATES, type RowState } from './scripts.js';

/** Rows per stored chunk (the upload's unit: one seal, a few commands). */
export const CHUNK = 500;
const chunkOf = (row: number) => Math.floor((row - 1) / CHUNK);

/** As long as the bootstrap records the rows became. */
export const BATCH_TTL_S = 30 * 24 * 3600;

export type BatchPhase = 'uploading' | 'rejected' | 'running' | 'waiting' | 'done';

export interface BatchMeta {
  readonly id: string;
  /** Who submitted it: "pos 3f9a…" / "operator 1c2d…" (a token's hash prefix). */
  readonly owner: string;
  readonly phase: BatchPhase;
  readonly total: number;
  readonly valid: number;
  readonly invalid: number;
  /** The next row to ask for (1-based). */
  readonly cursor: number;
  readonly counts: Readonly<Record<RowState | 'pending', number>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fedAt?: string;
  readonly doneAt?: string;
}

/** A row as the upload hands it over: its number, the line it ends on, and the check's verdict. */
export type UploadRow = { readonly row: number; readonly line: number } & (
  | { readonly ok: true; readonly data: BatchRow }
  | { readonly ok: false; readonly error: string }
);

export interface Transition {
  readonly row: number;
  readonly state: Exclude<RowState, 'invalid'>;
  /** When to look at it again (ms since the epoch); ignored for final states. */
  readonly nextAt: number;
  readonly error?: string;
}

/**
 * A batch in Redis, every key under its hash tag: the meta hash (owner, phase, cursor, counts),
 * sealed rows (number, choices) and PINs apart, row states with one sorted set per state for
 * paging, errors, the rows still open (scored by when to look again) and the number HMACs seen
 * during the upload (duplicates are refused). Nothing is held in memory beyond one chunk.
 */
export class BatchStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  newId(): string {
    return `bt${randomBytes(8).toString('hex')}`;
  }

  async create(id: string, owner: string): Promise<void> {
    const at = this.now().toISOString();
    await this.redis
      .multi()
      .hset(KEYS.batch(id), { id, owner, phase: 'uploading', cursor: 1, createdAt: at, updatedAt: at })
      .expire(KEYS.batch(id), BATCH_TTL_S)
      .exec();
    // The list lives in its own slot: a second command, not part of the batch's MULTI.
    await this.redis.zadd(KEYS.batches(), this.now().getTime(), id);
  }

  /**
   * Stores one chunk of checked rows (rows CHUNK·k+1 … CHUNK·(k+1)): the valid rows sealed
   * together under the chunk's number, their PINs apart, the invalid ones with their errors. A
   * number already seen in this batch makes its row invalid. A few commands per chunk, not per row.
   */
  async writeChunk(id: string, chunk: readonly UploadRow[]): Promise<UploadRow[]> {
    const valid = chunk.filter((r) => r.ok);
    const pairs = valid.flatMap((r) => [this.numberHash(r.data.msisdn), String(r.row)]);
    const dupes = pairs.length
      ? ((await runScript(this.redis, BATCH_SEEN, [KEYS.batchSeen(id)], pairs)) as string[])
      : [];
    const dupeOf = new Map<number, string>();
    for (let i = 0; i < dupes.length; i += 2) dupeOf.set(Number(dupes[i]), dupes[i + 1]!);
    const out = chunk.map(
      (r): UploadRow =>
        r.ok && dupeOf.has(r.row)
          ? { row: r.row, line: r.line, ok: false, error: `msisdn: the same number as row ${dupeOf.get(r.row)}` }
          : r,
    );
    const index = String(chunkOf(chunk[0]!.row));
    const rows: Record<string, Omit<BatchRow, 'pin'>> = {};
    const pins: Record<string, string> = {};
    const bad = out.filter((r) => !r.ok);
    for (const r of out) {
      if (!r.ok) continue;
      const { pin, ...row } = r.data;
      rows[r.row] = row;
      if (pin) pins[r.row] = pin;
    }
    const m = this.redis.multi();
    if (bad.length < out.length)
      m.hset(KEYS.batchRows(id), index, seal(this.key, JSON.stringify(rows), `${id}:${index}`));
    if (Object.keys(pins).length)
      m.hset(KEYS.batchPins(id), index, seal(this.key, JSON.stringify(pins), `${id}:${index}:pins`));
    if (bad.length) {
      m.hset(KEYS.batchStates(id), Object.fromEntries(bad.map((r) => [String(r.row), 'invalid'])));
      m.zadd(KEYS.batchInState(id, 'invalid'), ...bad.flatMap((r) => [r.row, String(r.row)]));
      m.hset(
        KEYS.batchErrors(id),
        Object.fromEntries(bad.map((r) => [String(r.row), `line ${r.line}: ${r.ok ? '' : r.error}`])),
      );
      m.hincrby(KEYS.batch(id), 'n:invalid', bad.length);
    }
    await m.exec();
    return out;
  }

  async finishUpload(
    id: string,
    o: { total: number; valid: number; invalid: number; phase: BatchPhase },
  ): Promise<void> {
    const at = this.now().toISOString();
    const m = this.redis
      .multi()
      .hset(KEYS.batch(id), { ...o, updatedAt: at, ...(o.phase === 'done' ? { fedAt: at, doneAt: at } : {}) });
    for (const k of this.keysOf(id)) m.expire(k, BATCH_TTL_S);
    await m.del(KEYS.batchSeen(id)).exec();
  }

  async meta(id: string): Promise<BatchMeta | null> {
    const h = await this.redis.hgetall(KEYS.batch(id));
    if (!h.id) return null;
    const n = (s: string) => Number(h[`n:${s}`] ?? 0);
    const counts = Object.fromEntries(ROW_STATES.map((s) => [s, n(s)])) as Record<RowState, number>;
    const valid = Number(h.valid ?? 0);
    const asked = MOVABLE_STATES.reduce((a, s) => a + counts[s], 0);
    return {
      id: h.id,
      owner: h.owner ?? '',
      phase: (h.phase ?? 'uploading') as BatchPhase,
      total: Number(h.total ?? 0),
      valid,
      invalid: Number(h.invalid ?? 0),
      cursor: Number(h.cursor ?? 1),
      counts: { pending: Math.max(0, valid - asked), ...counts },
      createdAt: h.createdAt ?? '',
      updatedAt: h.updatedAt ?? '',
      ...(h.fedAt ? { fedAt: h.fedAt } : {}),
      ...(h.doneAt ? { doneAt: h.doneAt } : {}),
    };
  }

  /** The rows' data, with their PINs while the batch still has them (until every row was asked for). */
  async rows(id: string, rows: readonly number[]): Promise<Map<number, BatchRow>> {
    const chunks = [...new Set(rows.map(chunkOf))].map(String);
    if (!chunks.length) return new Map();
    const [data, pins] = await Promise.all([
      this.redis.hmget(KEYS.batchRows(id), ...chunks),
      this.redis.hmget(KEYS.batchPins(id), ...chunks),
    ]);
    const all = new Map<string, Omit<BatchRow, 'pin'>>();
    const allPins = new Map<string, string>();
    chunks.forEach((c, i) => {
      const open = data[i] ? unseal(this.key, data[i]!, `${id}:${c}`) : null;
      if (open) for (const [r, v] of Object.entries(JSON.parse(open) as Record<string, BatchRow>)) all.set(r, v);
      const p = pins[i] ? unseal(this.key, pins[i]!, `${id}:${c}:pins`) : null;
      if (p) for (const [r, v] of Object.entries(JSON.parse(p) as Record<string, string>)) allPins.set(r, v);
    });
    const out = new Map<number, BatchRow>();
    for (const row of rows) {
      const d = all.get(String(row));
      const pin = allPins.get(String(row));
      if (d) out.set(row, { ...d, ...(pin ? { pin } : {}) });
    }
    return out;
  }

  /** Current states of some rows (null: not asked for yet). */
  async states(id: string, rows: readonly number[]): Promise<Array<RowState | null>> {
    if (!rows.length) return [];
    return (await this.redis.hmget(KEYS.batchStates(id), ...rows.map(String))) as Array<RowState | null>;
  }

  async apply(id: string, transitions: readonly Transition[], cursor?: number): Promise<number> {
    const errors = transitions.filter((t) => t.error);
    if (errors.length)
      await this.redis.hset(KEYS.batchErrors(id), Object.fromEntries(errors.map((t) => [String(t.row), t.error!])));
    const args = transitions.flatMap((t) => [String(t.row), t.state, String(Math.round(t.nextAt))]);
    const keys = [
      KEYS.batch(id),
      KEYS.batchStates(id),
      KEYS.batchOpen(id),
      ...MOVABLE_STATES.map((s) => KEYS.batchInState(id, s)),
    ];
    return Number(
      await runScript(this.redis, BATCH_APPLY, keys, [
        this.now().toISOString(),
        cursor === undefined ? '' : String(cursor),
        BATCH_TTL_S,
        ...args,
      ]),
    );
  }

  /** Open rows due for a look (their bootstrap's state), oldest first. */
  async due(id: string, limit: number): Promise<number[]> {
    const rows = await this.redis.zrangebyscore(
      KEYS.batchOpen(id),
      '-inf',
      String(this.now().getTime()),
      'LIMIT',
      0,
      limit,
    );
    return rows.map(Number);
  }

  async openCount(id: string): Promise<number> {
    return this.redis.zcard(KEYS.batchOpen(id));
  }

  /** Every row has been asked for: their PINs are not needed any more. */
  async fed(id: string): Promise<void> {
    const at = this.now().toISOString();
    await this.redis
      .multi()
      .hset(KEYS.batch(id), { phase: 'waiting', fedAt: at, updatedAt: at })
      .del(KEYS.batchPins(id))
      .exec();
  }

  async done(id: string): Promise<void> {
    const at = this.now().toISOString();
    await this.redis.hset(KEYS.batch(id), { phase: 'done', doneAt: at, updatedAt: at });
  }

  /** Rows in one state after `after`, in row order: [row, error?]. */
  async page(
    id: string,
    state: RowState,
    after: number,
    limit: number,
  ): Promise<Array<{ row: number; error?: string }>> {
    const rows = (
      await this.redis.zrangebyscore(KEYS.batchInState(id, state), `(${after}`, '+inf', 'LIMIT', 0, limit)
    ).map(Number);
    const errors = rows.length ? await this.redis.hmget(KEYS.batchErrors(id), ...rows.map(String)) : [];
    return rows.map((row, i) => ({ row, ...(errors[i] ? { error: errors[i]! } : {}) }));
  }

  /** Newest first. */
  async list(limit: number): Promise<string[]> {
    await this.redis.zremrangebyscore(KEYS.batches(), '-inf', String(this.now().getTime() - BATCH_TTL_S * 1000));
    return this.redis.zrevrange(KEYS.batches(), 0, limit - 1);
  }

  /** An upload that did not finish leaves nothing behind. */
  async remove(id: string): Promise<void> {
    await this.redis.del(...this.keysOf(id), KEYS.batchSeen(id));
    await this.redis.zrem(KEYS.batches(), id);
  }

  private keysOf(id: string): string[] {
    return [
      KEYS.batch(id),
      KEYS.batchRows(id),
      KEYS.batchPins(id),
      KEYS.batchStates(id),
      KEYS.batchErrors(id),
      KEYS.batchOpen(id),
      ...ROW_STATES.map((s) => KEYS.batchInState(id, s)),
    ];
  }

  private numberHash(msisdn: string): string {
    return createHmac('sha256', this.key).update(`batch number\n${msisdn}`).digest('base64url').slice(0, 16);
  }
}
