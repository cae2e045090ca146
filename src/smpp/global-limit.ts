import { setTimeout as sleep } from 'node:timers/promises';
import { BootlineError } from '../errors.js';
import type { RedisClient } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import { defineScript, runScript } from '../platform/redis/scripts.js';

/**
 * The SMSC's total TPS, shared by every worker process and bind through one Redis key: the
 * Generic Cell Rate Algorithm (ITU-T I.371 §4.4.2, virtual scheduling), as the per-bind
 * Pacer, but with the theoretical arrival time (TAT) kept in Redis and advanced by a Lua
 * script, so N workers × M binds together never pass SMPP_TOTAL_TPS.
 *
 * Each call reserves the next free send slot and returns how long to wait for it; the caller
 * sleeps that long, so by any instant t at most burst + tps·(t − t0) submits have left, the
 * timers' lateness only ever makes it fewer. A slot further away than `maxWaitMs` is not
 * reserved: the caller gets a throttle error and the job goes back to BullMQ as a rate
 * limit (not a failed attempt) instead of holding a worker slot.
 *
 * KEYS: tat. ARGV: interval µs, tolerance µs, max wait µs. Time comes from the Redis server
 * (one clock for every worker). Returns {1, wait µs} reserved, or {0, wait µs} refused.
 */
const RESERVE = defineScript({
  name: 'smsc-tps-reserve',
  keys: 1,
  lua: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local start = tat - tonumber(ARGV[2])
if start < now then start = now end
local wait = start - now
if wait > tonumber(ARGV[3]) then return {0, wait} end
local nexttat = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', nexttat), 'PX', math.ceil((nexttat - now) / 1000) + 1000)
return {1, wait}`,
});

export interface GlobalTpsOptions {
  /** Submits per second across every worker; 0 = no cap. */
  readonly tps: number;
  /** Sends that may leave back to back; default 50 ms worth (at least 1), as the Pacer. */
  readonly burst?: number;
  /** Wait for a slot at most this long in process; beyond it, throttle through BullMQ. */
  readonly maxWaitMs?: number;
  /** The Redis key (one per SMSC account); a hash tag of its own. */
  readonly key?: string;
}

export const GLOBAL_TPS_KEY = KEYS.smscTps();

export class GlobalTpsLimit {
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly maxWait: number;
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    readonly o: GlobalTpsOptions,
  ) {
    this.interval = o.tps > 0 ? Math.round(1e6 / o.tps) : 0;
    const burst = Math.max(1, o.burst ?? Math.ceil(o.tps / 20));
    this.tolerance = this.interval * (burst - 1);
    this.maxWait = (o.maxWaitMs ?? 1_000) * 1000;
    this.key = o.key ?? GLOBAL_TPS_KEY;
  }

  /**
   * Resolves when this submit may leave. Throws SMPP_TPS_LIMIT (retry: throttle) when the
   * next free slot is more than maxWaitMs away; nothing is reserved then.
   */
  async take(): Promise<void> {
    if (this.interval === 0) return;
    const [ok, waitUs] = (await runScript(
      this.redis,
      RESERVE,
      [this.key],
      [this.interval, this.tolerance, this.maxWait],
    )) as [number, number];
    if (!ok) {
      throw new BootlineError(
        'SMPP_TPS_LIMIT',
        `SMPP_TOTAL_TPS (${this.o.tps}/s) reached; next slot in ${Math.ceil(waitUs / 1000)} ms`,
        { retryAfterMs: Math.ceil(waitUs / 1000) },
      );
    }
    // Rounded up: a timer never fires before its slot.
    if (waitUs > 0) await sleep(Math.ceil(waitUs / 1000));
  }
}
