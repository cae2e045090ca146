import type { RedisClient as Redis } from '../platform/redis/client.js';
import { TRANSFER_TTL_S } from './transfers.js';
import { KEYS } from '../platform/redis/keys.js';
import { defineScript, runScript } from '../platform/redis/scripts.js';

// One hash tag for both keys: the compare-and-set script touches them together (cluster-safe).
const ACTIVE = KEYS.agentWatch();
const LAST = KEYS.agentWatchLast();

/**
 * Sets the last-notified state of one transfer; 1 when it changed (only one notifier wins a change).
 * KEYS: last-notified hash. ARGV: transfer id, state.
 */
const CHANGED = defineScript({
  name: 'agent-watch-changed',
  keys: 1,
  lua: `local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`,
});

/**
 * Transfers whose bootstrap the contact centre hears about: a sorted set scored by when
 * watching stops (a day after the hand-in, like the transfer record), plus the state last
 * notified per transfer, so each change is notified once however many notifiers poll.
 */
export class WatchList {
  constructor(private readonly redis: Redis) {}

  async add(transferId: string, nowMs = Date.now()): Promise<void> {
    await this.redis.zadd(ACTIVE, nowMs + TRANSFER_TTL_S * 1000, transferId);
  }

  /** Watched transfers; ones past their day are dropped on the way. */
  async active(nowMs = Date.now()): Promise<string[]> {
    const gone = await this.redis.zrangebyscore(ACTIVE, '-inf', nowMs);
    if (gone.length) {
      await this.redis.zrem(ACTIVE, ...gone);
      await this.redis.hdel(LAST, ...gone);
    }
    return this.redis.zrangebyscore(ACTIVE, nowMs, '+inf');
  }

  async changed(transferId: string, state: string): Promise<boolean> {
    return (await runScript(this.redis, CHANGED, [LAST], [transferId, state])) === 1;
  }
}
