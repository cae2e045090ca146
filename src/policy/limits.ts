import { createHmac, hkdfSync } from 'node:crypto';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { limitDecisions } from '../platform/metrics.js';
import { KEYS } from '../platform/redis/keys.js';

/**
 * Velocity limits on what a caller can make bootline send, shared by every web process
 * through Redis (rate-limiter-flexible's fixed windows). Scopes follow the SMS-pumping
 * controls in push-queue-reliability.md §4.2: per caller ID, per destination, per
 * destination prefix (the number without its last 4 digits), per destination country,
 * and one global budget.
 */
export const LIMIT_SCOPES = ['caller', 'destination', 'prefix', 'country', 'global'] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];
export type LimitAction = 'code' | 'bootstrap';

export interface Rate {
  readonly points: number;
  readonly seconds: number;
}
export type LimitTable = Readonly<Record<LimitScope, Rate>>;

export interface AbuseLimits {
  readonly code: LimitTable;
  readonly bootstrap: LimitTable;
  /** Wrong codes for one destination (across calls) before it is locked for the same window. */
  readonly lockout: Rate;
}

export type LimitDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly scope: LimitScope | 'lockout'; readonly retryAfterS: number };

export interface Subject {
  /** The caller ID as Twilio sent it (may be "anonymous" or absent). */
  readonly caller?: string | undefined;
  /** E.164 destination. */
  readonly destination: string;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "5/1h" → 5 points per 3600 s. Throws with the offending text. */
export function parseRate(text: string): Rate {
  const m = /^(\d{1,7})\/(\d{1,5})([smhd])$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a rate like 5/1h (units s, m, h, d)`);
  return { points: Number(m[1]), seconds: Number(m[2]) * UNITS[m[3]!]! };
}

/** "caller=5/1h,destination=3/1h" over `defaults`; unknown scopes are refused. */
export function parseLimitTable(text: string | undefined, defaults: LimitTable): LimitTable {
  const out: Record<string, Rate> = { ...defaults };
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [scope, rate = ''] = part.split('=', 2);
    if (!(LIMIT_SCOPES as readonly string[]).includes(scope!))
      throw new Error(`unknown scope "${scope}" (use ${LIMIT_SCOPES.join(', ')})`);
    out[scope!] = parseRate(rate);
  }
  return Object.freeze(out as LimitTable);
}

export const DEFAULT_LIMITS: AbuseLimits = Object.freeze({
  code: Object.freeze({
    caller: parseRate('6/1h'),
    destination: parseRate('3/1h'),
    prefix: parseRate('10/1h'),
    country: parseRate('200/1h'),
    global: parseRate('1000/1h'),
  }),
  bootstrap: Object.freeze({
    caller: parseRate('5/1d'),
    destination: parseRate('3/1d'),
    prefix: parseRate('20/1h'),
    country: parseRate('200/1h'),
    global: parseRate('1000/1h'),
  }),
  lockout: parseRate('5/1h'),
});

/**
 * The key that turns numbers into rate-limit keys: derived from DATA_ENCRYPTION_KEY under its
 * own label, the same in every process and door, so a hotline caller and the web page spend
 * the same per-destination budget.
 */
export function rateLimitPepper(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'bootline rate-limit keys', 32));
}

/** The country a destination belongs to; the ITU calling code when metadata cannot tell. */
function countryOf(e164: string): string {
  const p = parsePhoneNumberFromString(e164);
  return p?.country ?? `+${p?.countryCallingCode ?? e164.slice(1, 3)}`;
}

/**
 * Checks and counts one action for a subject. Keys hold an HMAC of the number, never the
 * number. A refused action gives back what it took from the other scopes, except the
 * caller's: flooding still spends the flooder's own budget.
 */
export class AbuseGuard {
  private readonly limiters: Record<LimitAction, Record<LimitScope, RateLimiterRedis>>;
  private readonly lock: RateLimiterRedis;
  /** Wrong cold-transfer codes per caller ID, and for everybody (caller IDs can be spoofed). */
  private readonly transferGuesses: { readonly caller: RateLimiterRedis; readonly global: RateLimiterRedis };

  constructor(
    redis: Redis,
    readonly limits: AbuseLimits,
    private readonly pepper: Buffer,
  ) {
    const make = (prefix: string, r: Rate, block = 0) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: KEYS.rateLimit(prefix),
        points: r.points,
        duration: r.seconds,
        blockDuration: block,
      });
    const table = (a: LimitAction) =>
      Object.fromEntries(LIMIT_SCOPES.map((s) => [s, make(`${a}:${s}`, limits[a][s])])) as Record<
        LimitScope,
        RateLimiterRedis
      >;
    this.limiters = { code: table('code'), bootstrap: table('bootstrap') };
    this.lock = make('lockout', limits.lockout, limits.lockout.seconds);
    this.transferGuesses = {
      caller: make('xfer:caller', limits.lockout, limits.lockout.seconds),
      global: make(
        'xfer:global',
        { points: limits.lockout.points * 20, seconds: limits.lockout.seconds },
        limits.lockout.seconds,
      ),
    };
  }

  async allow(action: LimitAction, subject: Subject): Promise<LimitDecision> {
    if (action === 'code') {
      const locked = await this.locked(subject.destination);
      if (!locked.ok) return this.count(action, locked);
    }
    const keys = this.keys(subject);
    const scopes = LIMIT_SCOPES.filter((s) => keys[s] !== undefined);
    const results = await Promise.allSettled(scopes.map((s) => this.limiters[action][s].consume(keys[s]!)));
    const refused = results.findIndex((r) => r.status === 'rejected');
    if (refused < 0) return this.count(action, { ok: true });
    const reason = (results[refused] as PromiseRejectedResult).reason;
    if (!(reason instanceof RateLimiterRes)) throw reason;
    await Promise.all(
      scopes.map((s, i) =>
        s !== 'caller' && results[i]!.status === 'fulfilled' ? this.limiters[action][s].reward(keys[s]!) : null,
      ),
    );
    return this.count(action, {
      ok: false,
      scope: scopes[refused]!,
      retryAfterS: Math.ceil(reason.msBeforeNext / 1000),
    });
  }

  /**
   * How much of its `action` budget a subject's caller and destination prefix have spent in
   * the current windows, without spending any: what tells a door a sender or a range is hot.
   */
  async usage(action: LimitAction, subject: Subject): Promise<{ caller: number; prefix: number }> {
    const keys = this.keys(subject);
    const [caller, prefix] = await Promise.all([
      keys.caller ? this.limiters[action].caller.get(keys.caller) : null,
      this.limiters[action].prefix.get(keys.prefix!),
    ]);
    return { caller: caller?.consumedPoints ?? 0, prefix: prefix?.consumedPoints ?? 0 };
  }

  /** A wrong code for `destination`: counts toward its lockout. */
  async wrongCode(destination: string): Promise<void> {
    await this.lock.consume(this.hash(destination)).catch((r: unknown) => {
      if (!(r instanceof RateLimiterRes)) throw r;
    });
  }

  /** Whether `destination` is locked after too many wrong codes. */
  async locked(destination: string): Promise<LimitDecision> {
    const res = await this.lock.get(this.hash(destination));
    if (!res || res.consumedPoints < this.limits.lockout.points) return { ok: true };
    return { ok: false, scope: 'lockout', retryAfterS: Math.ceil(res.msBeforeNext / 1000) };
  }

  /**
   * Cold-transfer codes are 6 digits, valid 10 minutes: guessing across many calls must not
   * pay off. Wrong codes count per caller ID and globally; over either, no code is checked.
   */
  async transferGuessAllowed(caller: string | undefined): Promise<boolean> {
    const [mine, all] = await Promise.all([
      this.transferGuesses.caller.get(this.hash(caller ?? 'anonymous')),
      this.transferGuesses.global.get('all'),
    ]);
    const over = (r: RateLimiterRes | null, points: number) => r !== null && r.consumedPoints >= points;
    const ok = !over(mine, this.limits.lockout.points) && !over(all, this.limits.lockout.points * 20);
    if (!ok) limitDecisions.inc({ action: 'transfer-code', scope: 'lockout', outcome: 'refused' });
    return ok;
  }

  async wrongTransferCode(caller: string | undefined): Promise<void> {
    const swallow = (r: unknown) => {
      if (!(r instanceof RateLimiterRes)) throw r;
    };
    await Promise.all([
      this.transferGuesses.caller.consume(this.hash(caller ?? 'anonymous')).catch(swallow),
      this.transferGuesses.global.consume('all').catch(swallow),
    ]);
  }

  private keys(s: Subject): Partial<Record<LimitScope, string>> {
    const d = s.destination;
    return {
      ...(s.caller ? { caller: this.hash(s.caller) } : {}),
      destination: this.hash(d),
      prefix: this.hash(d.slice(0, -4)),
      country: countryOf(d),
      global: 'all',
    };
  }

  private hash(v: string): string {
    return createHmac('sha256', this.pepper).update(v).digest('base64url').slice(0, 22);
  }

  private count(action: LimitAction, d: LimitDecision): LimitDecision {
    limitDecisions.inc({ action, scope: d.ok ? 'none' : d.scope, outcome: d.ok ? 'allowed' : 'refused' });
    return d;
  }
}
