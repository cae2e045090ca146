import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { BootlineError } from '../../errors.js';

/**
 * Who may call what: an operator may do everything, an agent the agent API, read-only may read,
 * pos (a point-of-sale or bulk integration) may ask for bootstraps and read its own.
 */
export type ApiRole = 'operator' | 'agent' | 'read-only' | 'pos';
export interface ApiToken {
  readonly role: ApiRole;
  readonly sha256: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    apiRole?: ApiRole;
    /** First 12 hex digits of the presented token's SHA-256: names the caller without the token. */
    apiTokenTag?: string;
  }
}

/** What API_TOKENS stores for a token: its SHA-256, lowercase hex (the token itself is never stored). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The presented token: `Authorization: Bearer <token>`, or Basic with the token as password
 * (browsers, for the dashboard).
 */
function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (/^bearer$/i.test(scheme!)) return value.trim() || null;
  if (/^basic$/i.test(scheme!)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) || null;
  }
  return null;
}

/**
 * The role of a presented token, or null. Hashes are compared in constant time and every
 * configured token is checked, so timing tells nothing about which one nearly matched.
 */
export function roleFor(tokens: readonly ApiToken[], header: string | undefined): ApiRole | null {
  return tokenFor(tokens, header)?.role ?? null;
}

/** The role and tag of a presented token, or null (constant time, as roleFor). */
export function tokenFor(
  tokens: readonly ApiToken[],
  header: string | undefined,
): { role: ApiRole; tag: string } | null {
  const token = presentedToken(header);
  if (!token) return null;
  const presented = Buffer.from(hashToken(token), 'hex');
  let role: ApiRole | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(presented, Buffer.from(t.sha256, 'hex')) && role === null) role = t.role;
  }
  return role === null ? null : { role, tag: presented.toString('hex').slice(0, 12) };
}

/**
 * Bearer-token middleware: 401 (API_UNAUTHORIZED) without a known token, 403 (API_FORBIDDEN)
 * when its role is not in `allowed`. `basicRealm` also offers Basic auth to browsers.
 */
export function requireRole(
  tokens: readonly ApiToken[],
  allowed: readonly ApiRole[],
  opts: { basicRealm?: boolean } = {},
): RequestHandler {
  return (req, res, next) => {
    const found = tokenFor(tokens, req.headers.authorization);
    const role = found?.role;
    if (!role) {
      res.setHeader(
        'WWW-Authenticate',
        opts.basicRealm ? 'Basic realm="bootline", charset="UTF-8"' : 'Bearer realm="bootline"',
      );
      next(new BootlineError('API_UNAUTHORIZED', 'a valid bearer token is required'));
      return;
    }
    if (!allowed.includes(role)) {
      next(new BootlineError('API_FORBIDDEN', `role ${role} may not do this`));
      return;
    }
    req.apiRole = role;
    req.apiTokenTag = found.tag;
    next();
  };
}
