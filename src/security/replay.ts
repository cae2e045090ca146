import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../lib/redis.js';
import { KEYS } from '../lib/redis.js';

/**
 * Replay defence for Twilio webhooks. The signature has no timestamp or nonce
 * (push-queue-reliability.md §4.1), so a captured request stays valid. Three layers:
 * - a call that is over keeps a tombstone for a day: its webhooks are refused (410);
 * - each request is claimed once by its identity — Twilio's `I-Twilio-Idempotency-Token`
 *   when sent, else (step, turn) from the signed action URL — and a duplicate gets the
 *   first answer back instead of being processed again (Twilio retries within 15 s);
 * - the engine refuses stale turns (an action URL's `t` behind the call's), see engine.ts.
 */
const ANSWER_TTL_S = 60;
const ENDED_TTL_S = 24 * 3600;
/** How long a duplicate waits for the first copy's answer before being sent back round. */
const WAIT_MS = 1_500;

export type Claim = { readonly kind: 'fresh' } | { readonly kind: 'ended' } | { readonly kind: 'duplicate'; readonly answer: string | null };

export class ReplayGuard {
  constructor(private readonly redis: Redis) {}

  /** The identity of a request, or null when it has none we can trust (then it is not deduplicated). */
  static identity(token: string | undefined, step: string | undefined, turn: number | undefined): string | null {
    if (token) return 'tok:' + createHash('sha256').update(token).digest('base64url').slice(0, 22);
    if (step !== undefined && turn !== undefined) return `in:${createHash('sha256').update(step).digest('base64url').slice(0, 16)}:${turn}`;
    return null;
  }

  /** One round trip: is the call over, and is this request new? */
  async claim(callSid: string, id: string | null): Promise<Claim> {
    const p = this.redis.pipeline().exists(KEYS.callEnded(callSid));
    if (id) p.set(KEYS.callRequest(callSid, id), '', 'EX', ANSWER_TTL_S, 'NX');
    const res = (await p.exec()) ?? [];
    if (res[0]?.[1] === 1) return { kind: 'ended' };
    if (!id || res[1]?.[1] === 'OK') return { kind: 'fresh' };
    return { kind: 'duplicate', answer: await this.answerOf(callSid, id) };
  }

  /** Keeps the answer for duplicates of this request. */
  async answered(callSid: string, id: string | null, twiml: string): Promise<void> {
    if (id) await this.redis.set(KEYS.callRequest(callSid, id), twiml, 'EX', ANSWER_TTL_S, 'XX');
  }

  /** The first copy failed before answering: let a retry be processed. */
  async release(callSid: string, id: string | null): Promise<void> {
    if (id) await this.redis.del(KEYS.callRequest(callSid, id));
  }

  async ended(callSid: string): Promise<void> {
    await this.redis.set(KEYS.callEnded(callSid), '1', 'EX', ENDED_TTL_S);
  }

  private async answerOf(callSid: string, id: string): Promise<string | null> {
    const end = Date.now() + WAIT_MS;
    for (;;) {
      const v = await this.redis.get(KEYS.callRequest(callSid, id));
      if (v) return v;
      if (v === null || Date.now() > end) return null;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
