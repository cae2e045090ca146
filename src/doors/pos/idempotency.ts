import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BootlineError } from '../../errors.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { seal, unseal } from '../../platform/seal.js';

/** As long as the bootstrap keeps its PIN: a replay after that could not give the same answer. */
const KEEP_S = 3600;
/** How long a second request with the same key waits for the first one's answer. */
const WAIT_MS = 3_000;

export type Claim<T> =
  | { readonly kind: 'new'; readonly scope: string }
  | { readonly kind: 'replay'; readonly answer: T };

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the same key from the same
 * token with the same body gets the same answer, and the work is done once. The first request
 * claims the key with its body's fingerprint (HSETNX), does the work and stores its answer
 * sealed (it carries the PIN); a repeat returns that answer; the key with another body is
 * refused. Keys are scoped per token, hashed, and kept an hour.
 */
export class IdempotencyKeys<T> {
  constructor(
    private readonly redis: RedisClient,
    private readonly sealKey: Buffer,
  ) {}

  scopeOf(tokenTag: string, key: string): string {
    return createHmac('sha256', this.sealKey).update(`${tokenTag}\n${key}`).digest('base64url').slice(0, 24);
  }

  async claim(scope: string, fingerprint: string): Promise<Claim<T>> {
    const k = KEYS.idempotency(scope);
    const [[, won]] = (await this.redis.multi().hsetnx(k, 'fp', fingerprint).expire(k, KEEP_S, 'NX').exec()) as [
      [unknown, number],
    ];
    if (won === 1) return { kind: 'new', scope };
    const end = Date.now() + WAIT_MS;
    for (;;) {
      const [fp, sealed] = await this.redis.hmget(k, 'fp', 'answer');
      if (fp !== fingerprint)
        throw new BootlineError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
      const open = sealed ? unseal(this.sealKey, sealed, scope) : null;
      if (open !== null) return { kind: 'replay', answer: JSON.parse(open) as T };
      if (Date.now() > end)
        throw new BootlineError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running');
      await sleep(50);
    }
  }

  async store(scope: string, answer: T): Promise<void> {
    await this.redis.hset(KEYS.idempotency(scope), 'answer', seal(this.sealKey, JSON.stringify(answer), scope));
  }

  /** The work failed: the key is free again, so the client's retry is a new attempt. */
  async release(scope: string): Promise<void> {
    await this.redis.del(KEYS.idempotency(scope));
  }
}
