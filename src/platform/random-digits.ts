import { randomInt } from 'node:crypto';

/**
 * Uniform random decimal digits from the CSPRNG, leading zeros allowed (a PIN or a code is a
 * string): the spoken USERPIN, one-time codes, cold-transfer codes.
 */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}
