/**
 * Connectionless WSP Push PDU (WAP-230 §8.2.4.1, §8.4.2.24; reference §4.1):
 *   TID · 0x06 · HeadersLen(uintvar) · Content-Type · Headers · Data
 * With SEC/MAC the content type is the general form
 *   Value-length · Well-known-media · 0x91 <0x80|SEC> · 0x92 <40 hex> 0x00
 * which is 45 octets, so Value-length is Length-quote 0x1F + uintvar (`1F 2D`), exactly
 * what Kannel emits.
 */
import { codecError } from '../../errors.js';
import { ByteWriter } from '../wbxml/byte-writer.js';
import { SEC_VALUES, type SecMethod } from '../security/mac.js';
import { HEADER_X_WAP_APPLICATION_ID, LENGTH_QUOTE, MAC_LENGTH, SHORT_LENGTH_MAX, WSP_PARAM, WSP_PDU_PUSH } from './tables.js';

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
  if (!Number.isInteger(n) || n < 0 || n > max) throw codecError('CODEC_BAD_OPTION', `${what} ${n} is outside 0..${max}`, 0);
}

/** Value-length (§8.4.2.2): short-length octet, or Length-quote + uintvar. */
export function writeValueLength(w: ByteWriter, n: number): void {
  if (n <= SHORT_LENGTH_MAX) w.byte(n);
  else w.byte(LENGTH_QUOTE).mbUint32(n);
}

function contentType(input: WspPushInput): Uint8Array {
  octet(input.contentType, 'content type code', 0x7f);
  if (input.sec === undefined && input.mac === undefined) return Buffer.of(0x80 | input.contentType);
  const params = new ByteWriter(64).byte(0x80 | input.contentType);
  if (input.sec !== undefined) params.byte(0x80 | WSP_PARAM.SEC).byte(0x80 | SEC_VALUES[input.sec]);
  if (input.mac !== undefined) {
    if (!/^[0-9A-F]{40}$/.test(input.mac)) throw codecError('CODEC_BAD_OPTION', `MAC must be ${MAC_LENGTH} uppercase hex characters`, 0);
    params.byte(0x80 | WSP_PARAM.MAC).utf8(input.mac).byte(0);
  }
  const p = params.finish();
  const w = new ByteWriter(p.length + 6);
  writeValueLength(w, p.length);
  return w.bytes(p).finish();
}

export function buildWspPush(input: WspPushInput): Uint8Array {
  octet(input.tid, 'WSP TID');
  const headers = new ByteWriter(64).bytes(contentType(input));
  if (input.applicationId !== undefined && input.applicationId !== null) {
    octet(input.applicationId, 'X-Wap-Application-Id', 0x7f);
    headers.byte(0x80 | HEADER_X_WAP_APPLICATION_ID).byte(0x80 | input.applicationId);
  }
  const h = headers.finish();
  return new ByteWriter(h.length + input.body.length + 8)
    .byte(input.tid).byte(WSP_PDU_PUSH).mbUint32(h.length).bytes(h).bytes(input.body).finish();
}
