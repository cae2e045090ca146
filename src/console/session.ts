import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { ApiRole, ApiToken } from '../config/config.js';
import { BootlineError } from '../errors.js';
import { hashToken, roleFor } from '../platform/http/auth.js';
import { fromThisSite } from '../platform/http/same-origin.js';

export const SESSION_COOKIE = 'bl_console';
const SESSION_HOURS = 8;

export interface Session {
  readonly name: string;
  readonly role: ApiRole;
  /** First 12 hex digits of the token's SHA-256: the session ends when that token is removed from API_TOKENS. */
  readonly tag: string;
  readonly exp: number;
}

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session;
  }
}

/**
 * Console sessions: a stateless cookie `payload.HMAC`, so any web process accepts it. The key
 * is derived from DATA_ENCRYPTION_KEY (HKDF, its own label), never the key itself. The cookie
 * is HttpOnly, Secure and SameSite=Strict; it stops working after 8 hours or as soon as its
 * token leaves API_TOKENS.
 */
export class SessionCookies {
  private readonly key: Buffer;

  constructor(
    secret: Buffer,
    readonly tokens: readonly ApiToken[],
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'bootline console session v1', 32));
  }

  /** Checks the token (operators only) and returns the Set-Cookie value. */
  login(token: string, name: string): { cookie: string; session: Session } | null {
    const role = roleFor(this.tokens, `Bearer ${token}`);
    if (role !== 'operator') return null;
    const session: Session = {
      name: name.trim().slice(0, 60) || 'operator',
      role,
      tag: hashToken(token).slice(0, 12),
      exp: Date.now() + SESSION_HOURS * 3_600_000,
    };
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    const value = `${payload}.${this.mac(payload)}`;
    return {
      cookie: `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}`,
      session,
    };
  }

  static logoutCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
  }

  read(req: Request): Session | null {
    const raw = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const [payload, mac] = raw?.split('.') ?? [];
    if (!payload || !mac) return null;
    const want = Buffer.from(this.mac(payload), 'base64url');
    const got = Buffer.from(mac, 'base64url');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    const s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    if (s.exp < Date.now() || !this.tokens.some((t) => t.role === s.role && t.sha256.startsWith(s.tag))) return null;
    return s;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Operators only, by bearer token (API clients) or console session (browsers). A state-
 * changing request carried by the cookie must come from our own pages: its Origin and
 * Sec-Fetch-Site, when the browser sends them, must say this host (SameSite=Strict already
 * keeps other sites' requests cookie-less; this is the second lock).
 */
export function requireOperator(
  cookies: SessionCookies,
  opts: { loginRedirect?: boolean; readOnly?: boolean } = {},
): RequestHandler {
  return (req, res, next) => {
    const bearer = req.headers.authorization ? roleFor(cookies.tokens, req.headers.authorization) : null;
    if (bearer) {
      // Read-only tokens may read what `readOnly` routes serve (call traces: numbers masked for everyone).
      const reads = opts.readOnly && bearer === 'read-only' && (req.method === 'GET' || req.method === 'HEAD');
      if (bearer !== 'operator' && !reads) {
        next(new BootlineError('API_FORBIDDEN', `role ${bearer} may not do this`));
        return;
      }
      req.apiRole = bearer;
      req.session = { name: header(req, 'x-bootline-author') ?? 'operator', role: bearer, tag: '', exp: 0 };
      next();
      return;
    }
    const session = cookies.read(req);
    if (!session) {
      unauthenticated(req, res, next, opts.loginRedirect ?? false);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !fromThisSite(req.headers)) {
      next(new BootlineError('API_FORBIDDEN', 'cross-origin request refused'));
      return;
    }
    req.apiRole = session.role;
    req.session = session;
    next();
  };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 60) : undefined;
}

function unauthenticated(req: Request, res: Response, next: (err?: unknown) => void, redirect: boolean): void {
  if (redirect && req.method === 'GET') {
    res.redirect(303, `/console/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  res.setHeader('WWW-Authenticate', 'Bearer realm="bootline"');
  next(new BootlineError('API_UNAUTHORIZED', 'log in at /console/login or send an operator bearer token'));
}
