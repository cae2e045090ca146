/**
 * WSP header value primitives (WAP-230 §8.4.2.1–8.4.2.3), read from a ByteReader whose
 * view ends at the end of the header block, so a value that overruns it is a bad header.
 */
import { codecError } from '../../errors.js';
import type { ByteReader } from '../wbxml/byte-reader.js';
import { LENGTH_QUOTE, SHORT_LENGTH_MAX } from './tables.js';

const QUOTE = 0x7f;
const QUOTED_STRING = 0x22;

/** Text-string / Token-text / Quoted-string: octets up to NUL, read as ISO-8859-1. */
export function readText(r: ByteReader): string {
  const start = r.pos;
  if (r.peek() === QUOTE || r.peek() === QUOTED_STRING) r.pos++;
  const end = r.bytes.indexOf(0, r.pos);
  if (end < 0) throw codecError('WSP_BAD_HEADER', 'text value has no NUL terminator', start);
  const s = Buffer.from(r.bytes.subarray(r.pos, end)).toString('latin1');
  r.pos = end + 1;
  return s;
}

/** Value-length: a Short-length octet (0–30) or Length-quote (31) + uintvar. */
export function readValueLength(r: ByteReader): number {
  const at = r.pos;
  const b = r.u8();
  const n = b <= SHORT_LENGTH_MAX ? b : b === LENGTH_QUOTE ? r.mbUint32() : -1;
  if (n < 0) throw codecError('WSP_BAD_HEADER', `0x${b.toString(16)} is not a Value-length`, at);
  if (n > r.remaining) throw codecError('WSP_BAD_HEADER', `value of ${n} octets overruns the headers`, at);
  return n;
}

/** Multi-octet integer of `n` octets (Long-integer body); more than 6 octets is not a safe number. */
function readLongBody(r: ByteReader, n: number, at: number): number {
  if (n === 0 || n > 6) throw codecError('WSP_BAD_HEADER', `Long-integer of ${n} octets is not supported`, at);
  let v = 0;
  for (const b of r.take(n, 'Long-integer')) v = v * 256 + b;
  return v;
}

/** Integer-value: Short-integer (0x80|n) or Long-integer (Short-length + octets). */
export function readInteger(r: ByteReader): number {
  const at = r.pos;
  const b = r.u8();
  if (b & 0x80) return b & 0x7f;
  if (b <= SHORT_LENGTH_MAX) return readLongBody(r, b, at);
  throw codecError('WSP_BAD_HEADER', `0x${b.toString(16)} is not an Integer-value`, at);
}

/** A value whose type we do not know: integer if it looks like one, else text. */
export function readGenericValue(r: ByteReader): number | string {
  const b = r.peek();
  if (b & 0x80 || b <= SHORT_LENGTH_MAX) return readInteger(r);
  if (b === LENGTH_QUOTE) {
    const n = readValueLength(r);
    return Buffer.from(r.take(n, 'value')).toString('hex');
  }
  return readText(r);
}
