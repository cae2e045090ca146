import { createHmac } from 'node:crypto';
import { safeEqual } from '../platform/seal.js';

/**
 * Registration requests are signed like webhooks commonly are: HMAC-SHA256, keyed with the
 * shared DM_REGISTER_SECRET, over `<timestamp>.<raw body>`, so the timestamp is covered
 * and a captured request cannot be replayed outside the tolerance window.
 */
export const TIMESTAMP_HEADER = 'x-bootline-timestamp';
export const SIGNATURE_HEADER = 'x-bootline-signature';
export const SIGNATURE_TOLERANCE_S = 300;

export function signBody(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Constant-time check of the signature and a ±5 minute window on the timestamp. */
export function verifyBody(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowS - ts) > SIGNATURE_TOLERANCE_S || !headers.signature) return false;
  return safeEqual(signBody(secret, ts, body), headers.signature);
}
