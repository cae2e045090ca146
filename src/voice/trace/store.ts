import type { RedisClient as Redis } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { defineScript, runScript, runScriptNow } from '../../platform/redis/scripts.js';
import { seal, unseal } from '../../platform/seal.js';
import type { CallOutcome, CallSource, TraceEvent, TraceMeta } from './events.js';

/** Event batches kept per call: a call on hold adds one per poll; far more than any real call makes. */
const MAX_BATCHES = 1000;

/**
 * Appends one webhook's events and updates the meta. KEYS: events, meta. ARGV: TTL seconds,
 * max batches, sealed batch ('' for none), then field/value pairs for the meta. Returns 1.
 */
const APPEND = defineScript({
  name: 'trace-append',
  keys: 2,
  lua: `
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[1], ARGV[3])
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
if #ARGV > 3 then redis.call('HSET', KEYS[2], unpack(ARGV, 4)) end
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1`,
});

/**
 * Ends a call's trace. KEYS: meta. ARGV: endedAt, default outcome. Sets endedAt, and the
 * outcome only if none was recorded (a caller who hangs up mid-flow). Returns 1, or 0 when
 * the call has no trace.
 */
const FINISH = defineScript({
  name: 'trace-finish',
  keys: 1,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'endedAt', ARGV[1])
redis.call('HSETNX', KEYS[1], 'outcome', ARGV[2])
return 1`,
});

export interface TraceFilter {
  readonly flow?: string;
  readonly revision?: string;
  readonly outcome?: CallOutcome;
  readonly source?: CallSource;
  /** Epoch ms bounds on the start time. */
  readonly since?: number;
  readonly until?: number;
  readonly limit?: number;
}

/** Calls looked at per list request: the newest this many in the time window, then filtered. */
const SCAN_NEWEST = 2000;

/**
 * Execution traces in Redis: per call, its meta (a hash the list filters on: flow, revision,
 * source, outcome, times, masked caller) and its events, each webhook's batch sealed with the
 * data key (bound to the call). Everything expires after the retention; the index of calls
 * by start time is trimmed to it as calls start.
 */
export class TraceStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: Buffer,
    readonly retentionS: number,
  ) {}

  /** Calls started in this tick, waiting for the one ZADD that indexes them all. */
  private pending: Array<string | number> = [];
  private flush: Promise<unknown> | null = null;
  /** When this process last trimmed the index (it trims at most once a second). */
  private trimmedAt = 0;

  /** A new call: its meta, its first events, and its place in the index. */
  async start(meta: TraceMeta, events: readonly TraceEvent[]): Promise<void> {
    // No answer waits for these: they join the auto-pipeline, with other calls' commands.
    await Promise.all([
      this.append(meta.callSid, events, meta as unknown as Record<string, unknown>, false),
      this.index(Date.parse(meta.startedAt), meta.callSid),
    ]);
  }

  /**
   * Adds a call to the index by start time. The calls that start in one tick share one ZADD,
   * and the entries older than the retention are trimmed at most once a second: under load a
   * new call costs Redis its own trace write and a share of one index write, not three commands.
   */
  private index(started: number, callSid: string): Promise<unknown> {
    this.pending.push(started, callSid);
    if (!this.flush)
      this.flush = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const members = this.pending;
        this.pending = [];
        this.flush = null;
        const writes: Array<Promise<unknown>> = [this.redis.zadd(KEYS.traces(), ...members)];
        if (Date.now() - this.trimmedAt >= 1000) {
          this.trimmedAt = Date.now();
          writes.push(this.redis.zremrangebyscore(KEYS.traces(), '-inf', Date.now() - this.retentionS * 1000));
        }
        return Promise.all(writes);
      });
    return this.flush;
  }

  /**
   * One webhook's events and the meta fields it changed, in one command. `now` (a later
   * webhook's, whose answer waits for it): written at once, so in the tick of the call-state
   * commit it leaves in that commit's held write (call-ledger.ts); else auto-pipelined.
   */
  async append(
    callSid: string,
    events: readonly TraceEvent[],
    fields: Record<string, unknown> = {},
    now = true,
  ): Promise<void> {
    const pairs = Object.entries(fields)
      .filter(([, v]) => v !== undefined && v !== null)
      .flatMap(([k, v]) => [k, String(v)]);
    if (!events.length && !pairs.length) return;
    const batch = events.length ? seal(this.key, JSON.stringify(events), `trace:${callSid}`) : '';
    await (now ? runScriptNow : runScript)(
      this.redis,
      APPEND,
      [KEYS.trace(callSid), KEYS.traceMeta(callSid)],
      [this.retentionS, MAX_BATCHES, batch, ...pairs],
    );
  }

  async finish(callSid: string, outcome: CallOutcome = 'hung-up', at = new Date()): Promise<boolean> {
    return (await runScript(this.redis, FINISH, [KEYS.traceMeta(callSid)], [at.toISOString(), outcome])) === 1;
  }

  async meta(callSid: string): Promise<TraceMeta | null> {
    const h = await this.redis.hgetall(KEYS.traceMeta(callSid));
    if (!h.callSid) return null;
    return { ...h, version: Number(h.version ?? 0), draft: h.draft === 'true' } as unknown as TraceMeta;
  }

  /** The meta and every event, oldest first; null when there is no such trace (never, or expired). */
  async get(callSid: string): Promise<{ meta: TraceMeta; events: TraceEvent[] } | null> {
    const [meta, batches] = await Promise.all([this.meta(callSid), this.redis.lrange(KEYS.trace(callSid), 0, -1)]);
    if (!meta) return null;
    const events = batches.flatMap((b) => {
      const json = unseal(this.key, b, `trace:${callSid}`);
      return json ? (JSON.parse(json) as TraceEvent[]) : [];
    });
    return { meta, events };
  }

  /** The newest calls matching the filter, newest first. */
  async list(f: TraceFilter = {}): Promise<TraceMeta[]> {
    const sids = await this.redis.zrevrangebyscore(
      KEYS.traces(),
      f.until ?? '+inf',
      f.since ?? Date.now() - this.retentionS * 1000,
      'LIMIT',
      0,
      SCAN_NEWEST,
    );
    const metas = await Promise.all(sids.map((s) => this.meta(s)));
    const want = (m: TraceMeta | null): m is TraceMeta =>
      m !== null &&
      (!f.flow || m.flow === f.flow) &&
      (!f.revision || m.revision === f.revision) &&
      (!f.outcome || m.outcome === f.outcome) &&
      (!f.source || m.source === f.source);
    return metas.filter(want).slice(0, f.limit ?? 50);
  }
}
