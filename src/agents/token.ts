import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { safeEqual } from '../platform/seal.js';

/**
 * The context token a hand-in URL carries: `<transferId>.<expiry>.<mac>`. Short (about 50
 * characters, so the URL handed to Twilio stays small) because the context itself sits in
 * Redis under the transfer id; the MAC binds the token to the flow and the customer's CallSid,
 * so a token moved to another call or flow does not verify. Single use is enforced by the
 * store (transfers.ts), expiry here.
 */
export const TOKEN_TTL_S = 120;
const TOKEN = /^([A-Za-z0-9_-]{16})\.(\d{10})\.([A-Za-z0-9_-]{22})$/;

/** A key for tokens only, derived from DATA_ENCRYPTION_KEY (HKDF-SHA256), never the key itself. */
export function tokenKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'bootline agent context token v1', 32));
}

export function newTransferId(): string {
  return randomBytes(12).toString('base64url');
}

function mac(key: Buffer, id: string, flowId: string, callSid: string, exp: number): string {
  return createHmac('sha256', key)
    .update(`v1|${id}|${flowId}|${callSid}|${exp}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

export function mintToken(
  key: Buffer,
  t: { id: string; flowId: string; callSid: string; nowS?: number },
): { token: string; exp: number } {
  const exp = (t.nowS ?? Math.floor(Date.now() / 1000)) + TOKEN_TTL_S;
  return { token: `${t.id}.${exp}.${mac(key, t.id, t.flowId, t.callSid, exp)}`, exp };
}

export interface ParsedToken {
  readonly id: string;
  readonly exp: number;
  readonly mac: string;
}

export function parseToken(raw: string): ParsedToken | null {
  const m = TOKEN.exec(raw);
  return m ? { id: m[1]!, exp: Number(m[2]), mac: m[3]! } : null;
}

/** Constant-time: true when the token was minted for this flow and this call. */
export function tokenMatches(key: Buffer, t: ParsedToken, flowId: string, callSid: string): boolean {
  return safeEqual(mac(key, t.id, flowId, callSid, t.exp), t.mac);
}
