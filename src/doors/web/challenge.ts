import { hkdfSync } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';

/** How long a challenge may be solved and redeemed. */
const TTL_S = 10 * 60;

/**
 * A self-hosted proof of work (ALTCHA v2, altcha-lib): the page's widget derives PBKDF2 keys
 * until one starts with the signed prefix, which costs a browser a second or two and a
 * sender of thousands of code requests as many times that. The challenge is HMAC-signed
 * (keys derived from DATA_ENCRYPTION_KEY), expires, and each solution is redeemed once.
 */
export class ProofOfWork {
  private readonly secret: string;
  private readonly keySecret: string;

  constructor(
    private readonly redis: RedisClient,
    dataKey: Buffer,
    private readonly o: { cost: number; counter: number },
  ) {
    const derive = (label: string) =>
      Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), label, 32)).toString('hex');
    this.secret = derive('bootline setup challenge');
    this.keySecret = derive('bootline setup challenge keys');
  }

  create(): Promise<Challenge> {
    return createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: this.o.cost,
      counter: randomInt(this.o.counter, Math.ceil(this.o.counter / 2)),
      deriveKey,
      hmacSignatureSecret: this.secret,
      hmacKeySignatureSecret: this.keySecret,
      expiresAt: Math.floor(Date.now() / 1000) + TTL_S,
    });
  }

  /** The widget's form field (base64 JSON of challenge and solution): true once per solved challenge. */
  async redeem(field: unknown): Promise<boolean> {
    if (typeof field !== 'string' || field.length > 4_000) return false;
    let payload: { challenge?: Challenge; solution?: unknown };
    try {
      payload = JSON.parse(Buffer.from(field, 'base64').toString('utf8'));
    } catch {
      return false;
    }
    if (!payload?.challenge?.parameters || !payload.solution) return false;
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution as Parameters<typeof verifySolution>[0]['solution'],
      deriveKey,
      hmacSignatureSecret: this.secret,
      hmacKeySignatureSecret: this.keySecret,
    }).catch(() => null);
    if (!result?.verified) return false;
    const used = KEYS.challengeUsed(payload.challenge.parameters.nonce);
    return (await this.redis.set(used, '1', 'EX', TTL_S, 'NX')) === 'OK';
  }
}
