/**
 * Bootstrap MAC (ProvBoot / DM Security: OMA-WAP-ProvBoot-V1_1 "The Generic Security Mechanism"; as
 * Kannel gw/ota_prov.c, Intel cpclient lib/src/wp.c and Gecko CpPduHelper.jsm compute it):
 * M = HMAC-SHA1(K, body) over the WBXML body exactly as transmitted, rendered as 40 uppercase
 * hex characters (cpclient compares with strcmp, so case matters).
 *
 *   NETWPIN      K = IMSI semi-octets          USERPIN     K = ASCII PIN
 *   USERNETWPIN  K = IMSI semi-octets ‖ PIN    USERPINMAC  K = ASCII K (≥ 5 digits)
 *
 * For USERPINMAC the handset checks the code the user types, K ‖ m with
 * m[i] = M[i] mod 10 (Symbian, cpclient, Kryten); the header MAC is the full HMAC keyed
 * with K, as Kannel sends it (Symbian CWPPushMessage.cpp, cpclient and Kryten ignore it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { codecError } from '../../errors.js';
import { assertDigits, imsiKey } from './imsi-key.js';

/** node:crypto's HMAC (a hand-made one saved ~1.5 µs a push: not worth owning a primitive). */
export function hmacSha1(key: Uint8Array, text: Uint8Array): Buffer {
  return createHmac('sha1', key).update(text).digest();
}

export type SecMethod = 'NETWPIN' | 'USERPIN' | 'USERNETWPIN' | 'USERPINMAC';
export type SecInput =
  | { readonly method: 'NETWPIN'; readonly imsi: string }
  | { readonly method: 'USERPIN'; readonly pin: string }
  | { readonly method: 'USERNETWPIN'; readonly imsi: string; readonly pin: string }
  | { readonly method: 'USERPINMAC'; readonly userKey: string };

/** SEC parameter values (ProvBoot; WSP parameter 0x11, Short-integer, WAP-230 table 38). */
export const SEC_VALUES = { NETWPIN: 0, USERPIN: 1, USERNETWPIN: 2, USERPINMAC: 3 } as const satisfies Record<
  SecMethod,
  number
>;
export const SEC_BY_VALUE: ReadonlyMap<number, SecMethod> = new Map(
  Object.entries(SEC_VALUES).map(([k, v]) => [v, k as SecMethod]),
);

/** Minimum K length: cpclient (lib/src/wp.c) and Kryten (OmaSigner) reject shorter user codes. */
export const USERPINMAC_MIN_KEY = 5;
/** m[i] is derived from HMAC octet i, and SHA-1 gives 20 of them. */
export const USERPINMAC_MAX_KEY = 20;

function ascii(pin: string): Buffer {
  assertDigits(pin, 'PIN');
  return Buffer.from(pin, 'ascii');
}

/** The HMAC key for a SEC method, validating the secret. */
export function macKey(sec: SecInput): Uint8Array {
  switch (sec.method) {
    case 'NETWPIN':
      return imsiKey(sec.imsi);
    case 'USERPIN':
      return ascii(sec.pin);
    case 'USERNETWPIN':
      return Buffer.concat([imsiKey(sec.imsi), ascii(sec.pin)]);
    case 'USERPINMAC': {
      assertDigits(sec.userKey, 'USERPINMAC key');
      if (sec.userKey.length < USERPINMAC_MIN_KEY) {
        throw codecError(
          'SEC_BAD_USERPINMAC_KEY',
          `USERPINMAC key K has ${sec.userKey.length} digits, needs at least ${USERPINMAC_MIN_KEY}`,
          sec.userKey.length,
        );
      }
      if (sec.userKey.length > USERPINMAC_MAX_KEY) {
        throw codecError(
          'SEC_BAD_USERPINMAC_KEY',
          `USERPINMAC key K has ${sec.userKey.length} digits; m is taken from the 20 HMAC octets`,
          USERPINMAC_MAX_KEY,
        );
      }
      return Buffer.from(sec.userKey, 'ascii');
    }
  }
}

/** 40 uppercase hex characters of HMAC-SHA1(K, body). */
export function computeMac(body: Uint8Array, sec: SecInput): string {
  return hmacSha1(macKey(sec), body).toString('hex').toUpperCase();
}

/** Constant-time check of a header MAC (hex, any case) against the expected one. */
export function verifyMac(body: Uint8Array, mac: string, sec: SecInput): boolean {
  const want = hmacSha1(macKey(sec), body);
  if (!/^[0-9A-Fa-f]{40}$/.test(mac)) return false;
  return timingSafeEqual(want, Buffer.from(mac, 'hex'));
}

/** The USERPINMAC code the user keys in: K ‖ m, m[i] = (M[i] mod 10) for i < len(K). */
export function userPinMacCode(body: Uint8Array, userKey: string): string {
  const m = hmacSha1(macKey({ method: 'USERPINMAC', userKey }), body);
  let digits = '';
  for (let i = 0; i < userKey.length; i++) digits += String(m[i]! % 10);
  return userKey + digits;
}

/** Receiver side of USERPINMAC: split the typed code in half and recompute m (constant time). */
export function verifyUserPinMacCode(body: Uint8Array, code: string): boolean {
  if (
    !/^[0-9]+$/.test(code) ||
    code.length % 2 !== 0 ||
    code.length < 2 * USERPINMAC_MIN_KEY ||
    code.length > 2 * USERPINMAC_MAX_KEY
  )
    return false;
  const k = code.slice(0, code.length / 2);
  return timingSafeEqual(Buffer.from(userPinMacCode(body, k)), Buffer.from(code));
}
