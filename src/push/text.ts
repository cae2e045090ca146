import smpp from 'smpp';
import { BootlineError } from '../errors.js';

/**
 * Text SMS encoding for submit_sm (one segment): the GSM 03.38 default alphabet when every
 * character is in it (data_coding 0x00, one unpacked septet per octet as SMPP carries them),
 * else UCS-2 (data_coding 0x08). 3GPP TS 23.038 limits one SMS to 160 septets or 70 UCS-2
 * characters; one-time-code texts are far shorter, so longer texts are refused rather than
 * silently split.
 */
export function encodeText(text: string): { dataCoding: 0x00 | 0x08; octets: Buffer } {
  if (smpp.encodings.ASCII.match(text)) {
    const octets = smpp.encodings.ASCII.encode(text);
    if (octets.length > 160) throw new BootlineError('DOCUMENT_INVALID', `text needs ${octets.length} septets; one SMS holds 160`);
    return { dataCoding: 0x00, octets };
  }
  const octets = smpp.encodings.UCS2.encode(text);
  if (octets.length > 140) throw new BootlineError('DOCUMENT_INVALID', `text needs ${octets.length / 2} UCS-2 characters; one SMS holds 70`);
  return { dataCoding: 0x08, octets };
}

export function decodeText(dataCoding: number, octets: Buffer): string {
  return dataCoding === 0x08 ? smpp.encodings.UCS2.decode(octets) : smpp.encodings.ASCII.decode(octets);
}
