/**
 * NETWPIN key material: the IMSI as semi-octets (ProvBoot NETWPIN; EF_IMSI coding, 3GPP TS 31.102
 * §4.2.2, without its length byte; Funambol getKeyFromIMSI,
 * Symbian ConvertIMSIL, Intel cpclient, Kryten/Qualcomm OmaSigner agree):
 * prefix the nibble 9 (odd length: IMSI type 001 + odd flag) or 1 (even, plus an F pad
 * nibble at the end), then swap each nibble pair. No EF_IMSI length byte.
 * 466923103145252 → 49 66 29 13 30 41 25 25.
 */
import { codecError } from '../../errors.js';

/** Checks a decimal string; the error offset is the index of the first bad character. */
export function assertDigits(s: string, what: 'PIN' | 'IMSI' | 'USERPINMAC key'): void {
  const code = what === 'IMSI' ? 'SEC_BAD_IMSI' : what === 'PIN' ? 'SEC_BAD_PIN' : 'SEC_BAD_USERPINMAC_KEY';
  const bad = s.search(/[^0-9]/);
  if (bad >= 0) throw codecError(code, `${what} must be ASCII digits`, bad);
  if (s.length === 0) throw codecError(code, `${what} is empty`, 0);
}

export function imsiKey(imsi: string): Uint8Array {
  assertDigits(imsi, 'IMSI');
  if (imsi.length < 6 || imsi.length > 15)
    throw codecError('SEC_BAD_IMSI', `IMSI has ${imsi.length} digits, not 6-15`, Math.min(imsi.length, 15));
  const odd = imsi.length % 2 === 1;
  const nibbles = (odd ? '9' : '1') + imsi + (odd ? '' : 'F');
  const key = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < key.length; i++) {
    key[i] = (parseInt(nibbles[2 * i + 1]!, 16) << 4) | parseInt(nibbles[2 * i]!, 16);
  }
  return key;
}
