import type { RedisClient as Redis } from '../platform/redis/client.js';
import { safeEqual, seal, unseal } from '../platform/seal.js';
import { KEYS } from '../platform/redis/keys.js';
import { randomDigits } from '../platform/random-digits.js';

/**
 * One-time codes that prove the caller holds the phone they typed in. Policy is fixed here,
 * not per flow, so no flow file can weaken it: 6 digits, valid 5 minutes, 3 wrong tries per
 * call, one resend (two sends per call, whichever numbers they went to — an SMS-pumping guard).
 */
export const OTP_POLICY = { length: 6, ttlS: 300, maxTries: 3, maxSends: 2 } as const;

/** Sealed code, gone after 5 minutes. Bound (AAD) to the call and the number it was sent to. */
const codeKey = KEYS.otpCode;
/** Counters {sends, tries} for the whole call. */
const countKey = KEYS.otpCount;
const COUNT_TTL_S = 2 * 3600;

/** Job id of the n-th code SMS of a call (idempotent: a replayed send is not sent twice). */
export function otpSmsId(callSid: string, n: number): string {
  return `otp-${callSid}-${n}`;
}

export type OtpCheck = 'ok' | 'wrong' | 'exhausted' | 'expired';

export class OtpStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: Buffer,
  ) {}

  /** A fresh code for `msisdn`, or null when this call already had its resend. */
  async issue(callSid: string, msisdn: string): Promise<{ code: string; send: number } | null> {
    const sends = await this.redis.hincrby(countKey(callSid), 'sends', 1);
    await this.redis.expire(countKey(callSid), COUNT_TTL_S);
    if (sends > OTP_POLICY.maxSends) return null;
    const code = randomDigits(OTP_POLICY.length);
    await this.redis.set(codeKey(callSid), seal(this.key, code, `${callSid}:${msisdn}`), 'EX', OTP_POLICY.ttlS);
    return { code, send: sends };
  }

  /** Compares in constant time; a wrong code uses one of the call's tries. */
  async check(callSid: string, msisdn: string, typed: string): Promise<OtpCheck> {
    const tries = Number((await this.redis.hget(countKey(callSid), 'tries')) ?? 0);
    if (tries >= OTP_POLICY.maxTries) return 'exhausted';
    const sealed = await this.redis.get(codeKey(callSid));
    const code = sealed === null ? null : unseal(this.key, sealed, `${callSid}:${msisdn}`);
    if (code === null) return 'expired';
    if (safeEqual(code, typed)) {
      await this.redis.del(codeKey(callSid));
      return 'ok';
    }
    const used = await this.redis.hincrby(countKey(callSid), 'tries', 1);
    if (used < OTP_POLICY.maxTries) return 'wrong';
    await this.redis.del(codeKey(callSid));
    return 'exhausted';
  }

  async sendsLeft(callSid: string): Promise<number> {
    const sends = Number((await this.redis.hget(countKey(callSid), 'sends')) ?? 0);
    return Math.max(0, OTP_POLICY.maxSends - sends);
  }

  async clear(callSid: string): Promise<void> {
    await this.redis.del(codeKey(callSid), countKey(callSid));
  }
}
