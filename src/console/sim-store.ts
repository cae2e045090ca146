import type { RedisClient } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import { seal, unseal } from '../platform/seal.js';
import type { Turn } from './simulator/call.js';
import type { HandsetChoice } from './simulator/handset.js';

/** A simulated call ends after this long without a key pressed. */
export const SIM_IDLE_MS = 15 * 60_000;
/** A record outlives its idle time by this much, so the call can still be hung up when reaped. */
const REAP_GRACE_MS = 5 * 60_000;

export interface SimLine {
  readonly who: 'bootline' | 'caller';
  readonly text: string;
}

/** Everything needed to carry a console call on in any web process. */
export interface SimRecord {
  readonly id: string;
  readonly callSid: string;
  readonly from?: string;
  readonly flow: string;
  readonly version: string;
  readonly revision: string;
  /** What the caller's simulated handset does (when the console has handsets to drive). */
  readonly handset?: HandsetChoice;
  /** The PIN has gone into the handset (once per call). */
  pinTyped?: boolean;
  readonly lines: SimLine[];
  last: Turn | null;
  touched: number;
}

/**
 * Console calls kept in Redis, so whichever web process the browser's next request reaches
 * (WEB_CONCURRENCY, several hosts) carries the call on. A record is sealed with the data key:
 * its transcript holds what the caller heard, PINs and numbers included. Records expire
 * on their own; the index (scored by last use) lets the console count and end idle calls.
 */
export class SimCallStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: Buffer,
  ) {}

  async get(id: string): Promise<SimRecord | null> {
    const sealed = await this.redis.get(KEYS.simCall(id));
    const json = sealed ? unseal(this.key, sealed, `sim:${id}`) : null;
    return json ? (JSON.parse(json) as SimRecord) : null;
  }

  async save(rec: SimRecord): Promise<void> {
    await this.redis
      .multi()
      .set(
        KEYS.simCall(rec.id),
        seal(this.key, JSON.stringify(rec), `sim:${rec.id}`),
        'PX',
        SIM_IDLE_MS + REAP_GRACE_MS,
      )
      .zadd(KEYS.simCalls(), rec.touched, rec.id)
      .exec();
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(KEYS.simCall(id)).zrem(KEYS.simCalls(), id).exec();
  }

  /** Calls used within the idle time, in all processes. */
  async active(now = Date.now()): Promise<number> {
    return this.redis.zcount(KEYS.simCalls(), now - SIM_IDLE_MS, '+inf');
  }

  /** Takes the idle calls out of the index and returns the records still readable (to hang up). */
  async reap(now = Date.now()): Promise<SimRecord[]> {
    const ids = await this.redis.zrangebyscore(KEYS.simCalls(), '-inf', now - SIM_IDLE_MS);
    const out: SimRecord[] = [];
    for (const id of ids) {
      if ((await this.redis.zrem(KEYS.simCalls(), id)) === 0) continue; // another process took it
      const rec = await this.get(id);
      if (rec) out.push(rec);
      await this.redis.del(KEYS.simCall(id));
    }
    return out;
  }
}
