/**
 * A growable byte buffer: the one allocation pattern shared by every encoder here.
 * Buffer.allocUnsafe draws small buffers from Node's 8 KiB pool: `new Uint8Array(n)` costs
 * about a microsecond each. The working buffer is recycled: `finish()` copies the bytes out
 * and hands the buffer back as the spare the next writer starts from, so a push no longer
 * carves ~2 KiB of scratch out of the pool (refilling the pool every few pushes was 6% of
 * the codec benchmark, plus the GC of the dropped pools). Writers nest (a nested TNDS
 * document is encoded while the outer one is open): a writer created while the spare is
 * taken just allocates. Every byte handed out has been written, so neither unzeroed nor
 * recycled memory ever leaks, and the spare is zeroed as it is handed back, so the last
 * document (credentials, MAC input) does not linger in it; a writer must not be used after `finish()`.
 */
import { pushMbUint32 } from './mb-uint.js';
import { forbiddenCharAt } from './xml-chars.js';

const utf8 = new TextEncoder();
/** Buffers larger than this are not kept: one huge document should not pin its buffer. */
const SPARE_MAX = 16 * 1024;
const DETACHED = Buffer.alloc(0);
let spare: Buffer | undefined;

export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(initial = 512) {
    if (spare !== undefined && spare.length >= initial) {
      this.buf = spare;
      spare = undefined;
    } else {
      this.buf = Buffer.allocUnsafe(Math.max(initial, 512));
    }
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  mbUint32(n: number): this {
    if (n >= 0 && n < 0x80 && Number.isInteger(n)) return this.byte(n);
    const tmp: number[] = [];
    pushMbUint32(tmp, n);
    for (const b of tmp) this.byte(b);
    return this;
  }

  /**
   * UTF-8 bytes of `s`, no terminator. ASCII (nearly every bootstrap string) is copied by a
   * plain loop; from the first other character on, TextEncoder does the work (so lone
   * surrogates still become U+FFFD exactly as before).
   */
  utf8(s: string): this {
    this.room(s.length * 3);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        at += utf8.encodeInto(s.slice(i), buf.subarray(at)).written;
        break;
      }
      buf[at++] = c;
    }
    this.length = at;
    return this;
  }

  /**
   * utf8(s) for document text, checking XML 1.0 Char on the way (one pass: this is the encoder's
   * hot path). Returns the index of the first forbidden character (nothing more is promised about
   * what was written: the encoder throws), or -1 when all of `s` was written.
   */
  xmlText(s: string): number {
    this.room(s.length * 3);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const bad = forbiddenCharAt(s, i);
        if (bad >= 0) return bad;
        at += utf8.encodeInto(s.slice(i), buf.subarray(at)).written;
        break;
      }
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
      buf[at++] = c;
    }
    this.length = at;
    return -1;
  }

  /**
   * A copy of the bytes written so far. The working buffer becomes the next writer's spare
   * and this writer lets go of it (a stray later write would allocate afresh, never touch it).
   */
  finish(): Uint8Array {
    const buf = this.buf;
    const out = Buffer.allocUnsafe(this.length);
    buf.copy(out, 0, 0, this.length);
    if (buf.length <= SPARE_MAX && (spare === undefined || spare.length < buf.length)) {
      // The bytes were a document with credentials in it: the spare keeps none of them.
      buf.fill(0, 0, this.length);
      spare = buf;
    }
    this.buf = DETACHED;
    this.length = 0;
    return out;
  }
}
