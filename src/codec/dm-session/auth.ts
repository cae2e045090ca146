/**
 * DM application-layer credentials (OMA-TS-DM_Security-V1_2):
 *
 *   syncml:auth-basic  B64(username:password)                                   (DM_RepPro Cred)
 *   syncml:auth-md5    B64(H(B64(H(username:password)):nonce))                  §5.1.3.2
 *   syncml:auth-MAC    B64(H(B64(H(username:password)):nonce:B64(H(body))))     §5.1.4.2
 *
 * H = MD5, B64 = base64. The nonce enters as octets: AAuthData has format bin and travels as
 * base64 text, which clients decode before hashing (Funambol SyncManager, Samsung XDMMD5).
 * auth-MAC goes in the x-syncml-hmac transport header, never in Cred (§5.1.4.1).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AUTH_TYPES, type AuthType } from './tables.js';

export interface Secret {
  readonly name: string;
  readonly secret: string;
  /** The nonce as octets (see nonceBytes). */
  readonly nonce: Uint8Array;
}

const md5 = (...parts: (string | Uint8Array)[]): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * AAuthData / NextNonce text → the octets that are hashed: base64 is decoded (format bin);
 * text that is not canonical base64 (CP examples carry plain placeholders) is taken as UTF-8.
 */
export function nonceBytes(text: string | undefined): Uint8Array {
  if (!text) return new Uint8Array(0);
  return CANONICAL_BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}

/** B64(H(username:password)): the stored form an authenticator may keep instead of the password. */
export function userHash(name: string, secret: string): string {
  return b64(md5(`${name}:${secret}`));
}

export function basicCredential(name: string, secret: string): string {
  return b64(Buffer.from(`${name}:${secret}`, 'utf8'));
}

/** syncml:auth-md5 Cred/Data. */
export function md5Digest(s: Secret): string {
  return b64(md5(userHash(s.name, s.secret), ':', s.nonce));
}

/** syncml:auth-MAC `mac` over the exact message body sent (WBXML or XML octets). */
export function macDigest(s: Secret, body: Uint8Array): string {
  return b64(md5(userHash(s.name, s.secret), ':', s.nonce, ':', b64(md5(body))));
}

/** What the sender of a message presents for `type`: Cred/Data, or the mac of the header. */
export function credentialFor(type: AuthType, s: Secret, body: Uint8Array): string {
  if (type === AUTH_TYPES.BASIC) return basicCredential(s.name, s.secret);
  if (type === AUTH_TYPES.MD5) return md5Digest(s);
  return macDigest(s, body);
}

/** Constant-time comparison of two credentials (base64 text). */
export function credentialsEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The auth type named in a Meta/Type, matched without regard to case; undefined when unknown. */
export function authTypeOf(text: string | undefined): AuthType | undefined {
  const t = text?.trim().toLowerCase();
  return Object.values(AUTH_TYPES).find((v) => v.toLowerCase() === t);
}
