import smpp from 'smpp';
import { BootlineError } from '../../errors.js';
import { buildConcatUdh } from './udh.js';

/**
 * Text SMS encoding for submit_sm (3GPP TS 23.038 / 23.040): the GSM 7-bit default alphabet
 * when every character is in it (data_coding 0x00; SMPP carries one unpacked septet per
 * octet, an extension-table character as ESC + code), else UCS-2 (data_coding 0x08).
 *
 * One SMS holds 160 septets or 70 UCS-2 characters. A longer text is concatenated
 * (TS 23.040 §9.2.3.24.1): each part carries the 6-octet UDH `05 00 03 ref total seq` (udh.ts),
 * leaving 153 septets (the UDH plus fill bits takes 7 septets) or 67 UCS-2 characters.
 * Parts never split an ESC sequence or a UTF-16 surrogate pair.
 */
export interface TextPart {
  readonly dataCoding: 0x00 | 0x08;
  /** UDH (when concatenated) ‖ text octets: the short_message as sent. */
  readonly shortMessage: Buffer;
  readonly esmClass: 0x00 | 0x40;
}

const SINGLE = { gsm: 160, ucs2: 140 } as const;
const PART = { gsm: 153, ucs2: 134 } as const;
const MAX_PARTS = 255;

/** Single-part encoding (kept for callers that need exactly one SMS). */
export function encodeText(text: string): { dataCoding: 0x00 | 0x08; octets: Buffer } {
  const parts = encodeTextParts(text, 0);
  if (parts.length > 1)
    throw new BootlineError('DOCUMENT_INVALID', 'text needs more than one SMS (160 septets / 70 UCS-2 characters)');
  return { dataCoding: parts[0]!.dataCoding, octets: parts[0]!.shortMessage };
}

/** The parts of a text SMS; `reference` is the 8-bit concatenation reference (ignored for one part). */
export function encodeTextParts(text: string, reference: number): TextPart[] {
  const gsm = smpp.encodings.ASCII.match(text);
  const dataCoding = gsm ? 0x00 : 0x08;
  const units = gsm
    ? [...text].map((ch) => smpp.encodings.ASCII.encode(ch))
    : [...text].map((ch) => smpp.encodings.UCS2.encode(ch));
  const total = units.reduce((n, u) => n + u.length, 0);
  if (total <= (gsm ? SINGLE.gsm : SINGLE.ucs2))
    return [{ dataCoding, esmClass: 0x00, shortMessage: Buffer.concat(units) }];
  const chunks = pack(units, gsm ? PART.gsm : PART.ucs2);
  if (chunks.length > MAX_PARTS) throw new BootlineError('SMS_TOO_MANY_SEGMENTS', `text needs ${chunks.length} SMS`);
  return chunks.map((c, i) => ({
    dataCoding,
    esmClass: 0x40,
    shortMessage: Buffer.concat([
      buildConcatUdh({ reference: reference & 0xff, referenceBits: 8, total: chunks.length, seq: i + 1 }),
      c,
    ]),
  }));
}

/** Greedy packing of whole characters (each a Buffer of 1-2 octets/septets) into `size`-octet chunks. */
function pack(units: Buffer[], size: number): Buffer[] {
  const out: Buffer[] = [];
  let cur: Buffer[] = [];
  let len = 0;
  for (const u of units) {
    if (len + u.length > size) {
      out.push(Buffer.concat(cur));
      cur = [];
      len = 0;
    }
    cur.push(u);
    len += u.length;
  }
  if (cur.length) out.push(Buffer.concat(cur));
  return out;
}

export function decodeText(dataCoding: number, octets: Buffer): string {
  return dataCoding === 0x08 ? smpp.encodings.UCS2.decode(octets) : smpp.encodings.ASCII.decode(octets);
}
