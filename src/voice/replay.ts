import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';

/**
 * Replay defence for Twilio webhooks. The signature has no timestamp or nonce
 * (push-queue-reliability.md §4.1), so a captured request stays valid. Three layers:
 * - a call that is over keeps a tombstone for a day: its webhooks are refused (410);
 * - each request is claimed once by its identity — Twilio's `I-Twilio-Idempotency-Token`
 *   when sent, else (step, turn) from the signed action URL — and a duplicate gets the
 *   first answer back instead of being processed again (Twilio retries within 15 s); the
 *   claim shares a Lua script with the call state (voice/call-ledger.ts);
 * - the engine refuses stale turns (an action URL's `t` behind the call's), see engine.ts.
 */

/** How long a request's answer is kept for its duplicates (Twilio retries within 15 s). */
export const ANSWER_TTL_S = 60;
const ENDED_TTL_S = 24 * 3600;
const SAFE_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
/** How long a duplicate waits for the first copy's answer before being sent back round. */
const WAIT_MS = 1_500;

export class ReplayGuard {
  constructor(private readonly redis: Redis) {}

  /** The identity of a request, or null when it has none we can trust (then it is not deduplicated). */
  static identity(token: string | undefined, step: string | undefined, turn: number | undefined): string | null {
    // A token of plain characters is used as it is; anything else (long, odd bytes) is hashed
    // first, so what a caller of the webhook sends never shapes a Redis key beyond 64 safe characters.
    if (token)
      return (
        'tok:' + (SAFE_TOKEN.test(token) ? token : createHash('sha256').update(token).digest('base64url').slice(0, 22))
      );
    if (step !== undefined && turn !== undefined)
      return `in:${createHash('sha256').update(step).digest('base64url').slice(0, 16)}:${turn}`;
    return null;
  }

  async ended(callSid: string): Promise<void> {
    await this.redis.set(KEYS.callEnded(callSid), '1', 'EX', ENDED_TTL_S);
  }

  /** The answer of a request whose first copy is still being processed, or null after a wait. */
  async awaitAnswer(callSid: string, id: string): Promise<string | null> {
    const end = Date.now() + WAIT_MS;
    for (;;) {
      const v = await this.redis.get(KEYS.callRequest(callSid, id));
      if (v) return v;
      if (v === null || Date.now() > end) return null;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
