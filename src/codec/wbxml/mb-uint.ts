/**
 * mb_u_int32 (WBXML 1.3 §5.1) — identical to WSP's uintvar (WAP-230 §8.1.2): big-endian
 * base-128, continuation bit 0x80 on every octet but the last, at most 5 octets (32 bits).
 */
import { codecError, type ErrorCode } from '../../errors.js';

export const MB_UINT32_MAX = 0xffff_ffff;

/** Appends the mb_u_int32 encoding of `n` (0 ≤ n ≤ 2^32-1) to `out`. */
export function pushMbUint32(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MB_UINT32_MAX) {
    throw codecError('WBXML_INTEGER_OVERFLOW', `mb_u_int32 value ${n} is outside 0..2^32-1`, out.length);
  }
  const groups: number[] = [n % 128];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.push((v % 128) | 0x80);
  for (let i = groups.length - 1; i >= 0; i--) out.push(groups[i]!);
}

export function encodeMbUint32(n: number): Uint8Array {
  const out: number[] = [];
  pushMbUint32(out, n);
  return Uint8Array.from(out);
}

/**
 * Reads an mb_u_int32 at `offset`. Errors carry the offset of the integer's first octet;
 * `truncated` lets WSP report its own code (WSP_TRUNCATED) for the same structure.
 */
export function readMbUint32(
  bytes: Uint8Array,
  offset: number,
  truncated: ErrorCode = 'WBXML_TRUNCATED',
): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[offset + i];
    if (b === undefined) throw codecError(truncated, 'integer ends early', offset + i);
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (value > MB_UINT32_MAX) throw codecError('WBXML_INTEGER_OVERFLOW', 'integer above 2^32-1', offset);
      return { value, next: offset + i + 1 };
    }
  }
  throw codecError('WBXML_INTEGER_OVERFLOW', 'integer longer than 5 octets', offset);
}
