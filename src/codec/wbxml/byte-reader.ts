/**
 * Bounds-checked reading for the decoders: every read past the end throws the caller's
 * "truncated" code with the offset, and lengths read from the input are checked against
 * the bytes actually present before anything is sliced (no allocation from a length field).
 */
import { codecError, type ErrorCode } from '../../errors.js';
import { readMbUint32 } from './mb-uint.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly truncated: ErrorCode,
    start = 0,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  peek(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw codecError(this.truncated, 'input ends early', this.pos);
    return b;
  }

  u8(): number {
    const b = this.peek();
    this.pos++;
    return b;
  }

  /** An mb_u_int32 length followed by that many bytes (a view). */
  lengthPrefixed(what: string): Uint8Array {
    const at = this.pos;
    return this.take(this.mbUint32(), what, at);
  }

  mbUint32(): number {
    const { value, next } = readMbUint32(this.bytes, this.pos, this.truncated);
    this.pos = next;
    return value;
  }

  /**
   * `n` bytes as a view (no copy); `n` is checked against what is left first. `lengthAt`
   * is where the length field was read, the offset an error points at.
   */
  take(n: number, what: string, lengthAt = this.pos): Uint8Array {
    if (n > this.remaining)
      throw codecError(this.truncated, `${what} of ${n} bytes runs past the end`, lengthAt, { length: n });
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A NUL-terminated UTF-8 string; the NUL is consumed. */
  cstring(): string {
    const start = this.pos;
    const end = this.bytes.indexOf(0, start);
    if (end < 0) throw codecError(this.truncated, 'string has no NUL terminator', start);
    this.pos = end + 1;
    return decodeUtf8(this.bytes.subarray(start, end), start);
  }
}

export function decodeUtf8(b: Uint8Array, offset: number): string {
  try {
    return utf8.decode(b);
  } catch {
    throw codecError('WBXML_BAD_CHARSET', 'string is not valid UTF-8', offset);
  }
}

export function isValidUtf8(b: Uint8Array): boolean {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** The character an ENTITY token (or &#n;) names; surrogates and NUL are not characters. */
export function entity(cp: number, at: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    throw codecError('WBXML_BAD_CHARSET', `ENTITY ${cp} is not a character`, at);
  return String.fromCodePoint(cp);
}
