/**
 * Connectionless WSP Push PDU (WAP-230 §8.2.4.1, §8.4.2.24; Kannel gw/ota_prov.c):
 *   TID · 0x06 · HeadersLen(uintvar) · Content-Type · Headers · Data
 * With SEC/MAC the content type is the general form
 *   Value-length · Well-known-media · 0x91 <0x80|SEC> · 0x92 <40 hex> 0x00
 * which is 45 octets, so Value-length is Length-quote 0x1F + uintvar (`1F 2D`), exactly
 * what Kannel emits.
 */
import { codecError } from '../../errors.js';
import { ByteWriter } from '../wbxml/byte-writer.js';
import { SEC_VALUES, type SecMethod } from '../security/mac.js';
import {
  HEADER_X_WAP_APPLICATION_ID,
  LENGTH_QUOTE,
  MAC_LENGTH,
  SHORT_LENGTH_MAX,
  WSP_PARAM,
  WSP_PDU_PUSH,
} from './tables.js';

export interface WspPushInput {
  /** Transaction id octet, 0–255 (Kannel uses 1). */
  readonly tid: number;
  /** Well-known content type code (0x36 CP, 0x42 DM). */
  readonly contentType: number;
  readonly sec?: SecMethod;
  readonly mac?: string;
  /** X-Wap-Application-Id as a short-integer (0–127), or null/undefined to omit. */
  readonly applicationId?: number | null;
  readonly body: Uint8Array;
}

function octet(n: number, what: string, max = 0xff): void {
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw codecError('CODEC_BAD_OPTION', `${what} ${n} is outside 0..${max}`, 0);
}

/** Value-length (§8.4.2.2): short-length octet, or Length-quote + uintvar. */
export function writeValueLength(w: ByteWriter, n: number): void {
  if (n <= SHORT_LENGTH_MAX) w.byte(n);
  else w.byte(LENGTH_QUOTE).mbUint32(n);
}

/** /^[0-9A-F]{40}$/ without the regex engine (it ran once per push and showed in the profile). */
function isUpperHex40(s: string): boolean {
  if (s.length !== MAC_LENGTH) return false;
  for (let i = 0; i < MAC_LENGTH; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46))) return false;
  }
  return true;
}

/** Octets of the Content-Type parameters: media, SEC (2), MAC (0x92, 40 hex, NUL). */
function paramsLength(input: WspPushInput): number {
  return 1 + (input.sec === undefined ? 0 : 2) + (input.mac === undefined ? 0 : MAC_LENGTH + 2);
}

/** Checks the fields and returns the Content-Type octet count (header bytes before App-Id). */
function contentTypeLength(input: WspPushInput): number {
  octet(input.contentType, 'content type code', 0x7f);
  if (input.sec === undefined && input.mac === undefined) return 1;
  if (input.mac !== undefined && !isUpperHex40(input.mac)) {
    throw codecError('CODEC_BAD_OPTION', `MAC must be ${MAC_LENGTH} uppercase hex characters`, 0);
  }
  const p = paramsLength(input);
  return (p <= SHORT_LENGTH_MAX ? 1 : 2 + (p < 0x80 ? 0 : 1)) + p;
}

function writeContentType(w: ByteWriter, input: WspPushInput): void {
  if (input.sec === undefined && input.mac === undefined) {
    w.byte(0x80 | input.contentType);
    return;
  }
  writeValueLength(w, paramsLength(input));
  w.byte(0x80 | input.contentType);
  if (input.sec !== undefined) w.byte(0x80 | WSP_PARAM.SEC).byte(0x80 | SEC_VALUES[input.sec]);
  if (input.mac !== undefined)
    w.byte(0x80 | WSP_PARAM.MAC)
      .utf8(input.mac)
      .byte(0);
}

/**
 * One pass into one writer: every header length is known from the inputs (the MAC is
 * always 40 octets), so no part is built separately and copied again.
 */
export function buildWspPush(input: WspPushInput): Uint8Array {
  octet(input.tid, 'WSP TID');
  const appId = input.applicationId ?? null;
  let headersLength = contentTypeLength(input);
  if (appId !== null) {
    octet(appId, 'X-Wap-Application-Id', 0x7f);
    headersLength += 2;
  }
  const w = new ByteWriter(headersLength + input.body.length + 8)
    .byte(input.tid)
    .byte(WSP_PDU_PUSH)
    .mbUint32(headersLength);
  writeContentType(w, input);
  if (appId !== null) w.byte(0x80 | HEADER_X_WAP_APPLICATION_ID).byte(0x80 | appId);
  return w.bytes(input.body).finish();
}
