import { createHmac, hkdfSync } from 'node:crypto';
import type { Logger } from '../platform/logger.js';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import { defineScript, runScript } from '../platform/redis/scripts.js';

/**
 * Failed console logins, per client address *and* name, shared by every web process in Redis.
 * The first few failures are free (typos); after them each failure closes that address+name
 * for twice as long as the one before (1 s, 2 s, 4 s … 15 min). Keyed by name too, because
 * behind a balancer every operator shares one address: one person's failures (or a guesser's
 * under names of its own) never lock out the others, and an operator's correct token under
 * their own name is only ever held back by failures under that same name from that address.
 * A guesser who invents names gets a few free tries per name: the tokens' 128 random bits are
 * the defence; this keeps typing mistakes cheap and a slow guesser slow.
 */
export const LOGIN_POLICY = {
  /** Failures before the back-off starts. */
  free: 5,
  /** The first back-off; it doubles with each further failure. */
  baseMs: 1_000,
  maxMs: 15 * 60_000,
  /** Failures are forgotten after this long without another. */
  forgetMs: 15 * 60_000,
} as const;

/**
 * One failed login. KEYS: the address+name record (hash n, until). ARGV: now ms, free, base
 * ms, max ms, forget ms. Returns the epoch ms until which the key is closed (0: not closed).
 */
const LOGIN_FAIL = defineScript({
  name: 'console-login-fail',
  keys: 1,
  lua: `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local now, free, base = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max, forget = tonumber(ARGV[4]), tonumber(ARGV[5])
local untilMs = 0
if n > free then
  untilMs = math.floor(now + math.min(max, base * 2 ^ math.min(n - free - 1, 30)))
  redis.call('HSET', KEYS[1], 'until', untilMs)
end
redis.call('PEXPIRE', KEYS[1], math.floor(math.max(forget, untilMs - now)))
return untilMs`,
});

export class LoginThrottle {
  private readonly key: Buffer;

  constructor(
    private readonly redis: Redis,
    dataKey: Buffer,
    private readonly logger?: Logger,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'bootline console login throttle', 32));
  }

  /**
   * Seconds until this address+name may try again, or 0. Redis unreachable: 0 (the login
   * itself needs no Redis, and a throttle that fails closed would lock every operator out).
   */
  async blockedFor(address: string, name: string, now = Date.now()): Promise<number> {
    try {
      const until = Number((await this.redis.hget(this.record(address, name), 'until')) ?? 0);
      return until > now ? Math.ceil((until - now) / 1000) : 0;
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'console login throttle unavailable; not applied');
      return 0;
    }
  }

  async fail(address: string, name: string, now = Date.now()): Promise<void> {
    const p = LOGIN_POLICY;
    await runScript(
      this.redis,
      LOGIN_FAIL,
      [this.record(address, name)],
      [now, p.free, p.baseMs, p.maxMs, p.forgetMs],
    ).catch((err: unknown) => this.logger?.warn({ err: (err as Error).message }, 'console login failure not recorded'));
  }

  async succeed(address: string, name: string): Promise<void> {
    await this.redis.del(this.record(address, name)).catch(() => undefined);
  }

  /** An HMAC of address and name: neither an operator's name nor an address appears in Redis. */
  private record(address: string, name: string): string {
    const digest = createHmac('sha256', this.key)
      .update(`${address}\n${loginName(name)}`)
      .digest('base64url');
    return KEYS.consoleLoginFailures(digest.slice(0, 22));
  }
}

/** The name as the throttle compares it: trimmed, spaces folded, case-blind, at most 60 characters (the session's). */
export function loginName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 60) || 'operator';
}
