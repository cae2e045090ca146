import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { safeEqual, seal, unseal } from '../../platform/seal.js';

export const SETUP_COOKIE = 'bl_setup';
/** A visit is short: number, code, PIN, a minute or two of delivery state. */
const SESSION_S = 30 * 60;
/** The hotline's one-time code policy, the same for the page: 6 digits, 5 minutes, 3 tries, 2 sends. */
export const CODE = { length: 6, ttlMs: 5 * 60_000, maxTries: 3, maxSends: 2 } as const;

export interface SetupState {
  /** One visit's id (a new one after "use another number"): names its code SMS and its bootstrap. */
  readonly visit?: string;
  readonly msisdn?: string;
  readonly sends: number;
  readonly tries: number;
  readonly codeAt?: number;
  readonly verified: boolean;
  readonly bootstrapId?: string;
  /** Present until the page has shown it once. */
  readonly pin?: string;
}

export type CodeCheck = 'ok' | 'wrong' | 'exhausted' | 'expired';

/**
 * The page's state per visitor, in Redis under a random session id that only the HttpOnly,
 * SameSite=Strict cookie carries (never a URL). The number, the code and the PIN are sealed
 * and bound to the session. The CSRF token of a session is an HMAC of its id (synchronizer
 * token without storage). Nothing is written until the visitor asks for a code.
 */
export class SetupSessions {
  private readonly csrfKey: Buffer;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: Buffer,
  ) {
    this.csrfKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'bootline setup csrf', 32));
  }

  /** The visitor's session id, or a new one (with the Set-Cookie value to send). */
  idOf(req: Request): { sid: string; cookie?: string } {
    const raw = cookie(req.headers.cookie, SETUP_COOKIE);
    if (raw && /^[A-Za-z0-9_-]{22}$/.test(raw)) return { sid: raw };
    const sid = randomBytes(16).toString('base64url');
    return {
      sid,
      cookie: `${SETUP_COOKIE}=${sid}; Path=/setup; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_S}`,
    };
  }

  csrf(sid: string): string {
    return createHmac('sha256', this.csrfKey).update(sid).digest('base64url');
  }

  csrfOk(sid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const want = Buffer.from(this.csrf(sid));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  /** A stable, non-secret name for the session (job ids, request ids, logs). */
  tag(sid: string): string {
    return createHmac('sha256', this.csrfKey).update(`tag\n${sid}`).digest('base64url').slice(0, 16);
  }

  async read(sid: string): Promise<SetupState> {
    const h = await this.redis.hgetall(KEYS.setupSession(sid));
    const open = (f: string, aad: string) => (h[f] ? unseal(this.key, h[f], aad) : null);
    const msisdn = open('msisdn', sid);
    const pin = open('pin', `${sid}:pin`);
    return {
      ...(h.visit ? { visit: h.visit } : {}),
      ...(msisdn ? { msisdn } : {}),
      sends: Number(h.sends ?? 0),
      tries: Number(h.tries ?? 0),
      ...(h.codeAt ? { codeAt: Number(h.codeAt) } : {}),
      verified: h.verified === '1',
      ...(h.bootstrapId ? { bootstrapId: h.bootstrapId } : {}),
      ...(pin ? { pin } : {}),
    };
  }

  /** A fresh code for `msisdn` (a new number starts over), or null when the session had its sends. */
  async issue(sid: string, msisdn: string): Promise<{ code: string; send: number; visit: string } | null> {
    const k = KEYS.setupSession(sid);
    const before = await this.read(sid);
    if (before.msisdn !== undefined && before.msisdn !== msisdn) await this.redis.hdel(k, 'code', 'codeAt', 'tries');
    if (before.sends >= CODE.maxSends) return null;
    let code = '';
    for (let i = 0; i < CODE.length; i++) code += String(randomInt(10));
    const send = before.sends + 1;
    const visit = before.visit ?? randomBytes(9).toString('base64url');
    await this.redis
      .multi()
      .hset(k, {
        visit,
        msisdn: seal(this.key, msisdn, sid),
        code: seal(this.key, code, `${sid}:${msisdn}`),
        codeAt: Date.now(),
        sends: send,
        tries: 0,
      })
      .expire(k, SESSION_S)
      .exec();
    return { code, send, visit };
  }

  /** Compares in constant time; a wrong code uses one of the 3 tries, the third ends the code. */
  async check(sid: string, typed: string): Promise<CodeCheck> {
    const k = KEYS.setupSession(sid);
    const s = await this.read(sid);
    if (!s.msisdn || s.tries >= CODE.maxTries) return 'exhausted';
    const sealed = await this.redis.hget(k, 'code');
    const code = sealed ? unseal(this.key, sealed, `${sid}:${s.msisdn}`) : null;
    if (code === null || Date.now() - (s.codeAt ?? 0) > CODE.ttlMs) return 'expired';
    if (safeEqual(code, typed)) {
      await this.redis.multi().hdel(k, 'code').hset(k, 'verified', '1').exec();
      return 'ok';
    }
    const used = await this.redis.hincrby(k, 'tries', 1);
    if (used < CODE.maxTries) return 'wrong';
    await this.redis.hdel(k, 'code');
    return 'exhausted';
  }

  async pushed(sid: string, bootstrapId: string, pin: string | undefined): Promise<void> {
    const k = KEYS.setupSession(sid);
    await this.redis.hset(k, { bootstrapId, ...(pin ? { pin: seal(this.key, pin, `${sid}:pin`) } : {}) });
  }

  /** The PIN is shown once: the page that shows it takes it out of the session. */
  async takePin(sid: string): Promise<void> {
    await this.redis.hdel(KEYS.setupSession(sid), 'pin');
  }

  async clear(sid: string): Promise<void> {
    await this.redis.del(KEYS.setupSession(sid));
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
