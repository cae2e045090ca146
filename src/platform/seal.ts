import { createCipheriv, createDecipheriv, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * IVs come from the CSPRNG in blocks: one randomFillSync per 256 seals instead of one per
 * seal (a seal is on every webhook answer and every push run; the call was a profiled share of
 * it). Each IV is 12 fresh random bytes used once, as NIST SP 800-38D §8.2.2 asks of random IVs.
 */
const IV_LEN = 12;
const ivBlock = Buffer.alloc(IV_LEN * 256);
let ivAt = ivBlock.length;

function nextIv(): Buffer {
  if (ivAt === ivBlock.length) {
    randomFillSync(ivBlock);
    ivAt = 0;
  }
  // A view, not a copy: seal() consumes it synchronously, long before the block is refilled.
  const iv = ivBlock.subarray(ivAt, ivAt + IV_LEN);
  ivAt += IV_LEN;
  return iv;
}

/**
 * AES-256-GCM sealing for small secrets at rest in Redis (PINs, DM credentials).
 * Output: base64url(iv(12) ‖ tag(16) ‖ ciphertext). `aad` binds the value to its record so a
 * sealed PIN copied to another bootstrap's key does not open.
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = nextIv();
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
}

/** Returns the plaintext, or null when the value was tampered with or sealed for another aad/key. */
export function unseal(key: Buffer, sealed: string, aad: string): string | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Constant-time string equality (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
