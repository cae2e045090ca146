/**
 * Parser for a connectionless WSP Push PDU (inspection side; WAP-230 §8.2.4.1, §8.4.2.24 — the
 * same walk Android's WapPushOverSms.dispatchWapPdu does): TID, PDU type, HeadersLen, Content-Type with
 * parameters (SEC, MAC, …), further headers (X-Wap-Application-Id, …), body.
 */
import { codecError } from '../../errors.js';
import { ByteReader } from '../wbxml/byte-reader.js';
import { SEC_BY_VALUE, type SecMethod } from '../security/mac.js';
import {
  HEADER_X_WAP_APPLICATION_ID,
  WSP_CONTENT_TYPES,
  WSP_HEADER_NAMES,
  WSP_PARAM,
  WSP_PARAM_NAMES,
  WSP_PDU_PUSH,
} from './tables.js';
import { readGenericValue, readInteger, readText, readValueLength } from './values.js';

export interface WspField {
  readonly name: string;
  readonly code?: number;
  readonly value: number | string;
  /** How an Integer-value was written: WSP gives SEC a Short-integer; a strict receiver refuses the long form. */
  readonly form?: 'short-integer' | 'long-integer';
}
export interface WspContentType {
  readonly code?: number;
  readonly mediaType: string;
  readonly params: readonly WspField[];
}
export interface ParsedPush {
  readonly tid: number;
  readonly pduType: number;
  readonly headersLength: number;
  readonly contentType: WspContentType;
  /** The first SEC parameter (a lenient reading; strict inspection also looks at the others). */
  readonly sec?: SecMethod;
  /** Raw SEC short-integer, also when it names no known method. */
  readonly secValue?: number;
  readonly mac?: string;
  /** X-Wap-Application-Id: the code (see WSP_APPLICATION_IDS) or an absolute URI. */
  readonly applicationId?: number | string;
  readonly headers: readonly WspField[];
  readonly bodyOffset: number;
  readonly body: Uint8Array;
}

const lookup = (t: Readonly<Record<number, string>>, c: number, kind: string) => t[c] ?? `${kind} 0x${c.toString(16)}`;

function readParam(r: ByteReader): WspField {
  const b = r.peek();
  if (b & 0x80 || b <= 0x1e) {
    const code = readInteger(r);
    const name = lookup(WSP_PARAM_NAMES, code, 'parameter');
    if (code === WSP_PARAM.SEC) {
      const form = r.peek() & 0x80 ? 'short-integer' : 'long-integer';
      return { name, code, value: readInteger(r), form };
    }
    return { name, code, value: code === WSP_PARAM.MAC ? readText(r) : readGenericValue(r) };
  }
  return { name: readText(r), value: readGenericValue(r) };
}

function readMediaType(r: ByteReader): { code?: number; mediaType: string } {
  const b = r.peek();
  if (b >= 0x20 && b < 0x80) return { mediaType: readText(r) };
  const code = readInteger(r);
  return { code, mediaType: lookup(WSP_CONTENT_TYPES, code, 'content type') };
}

export function readContentType(r: ByteReader): WspContentType {
  const b = r.peek();
  if (b >= 0x20) return { ...readMediaType(r), params: [] };
  const n = readValueLength(r);
  const end = r.pos + n;
  const sub = new ByteReader(r.bytes.subarray(0, end), 'WSP_BAD_HEADER', r.pos);
  const media = readMediaType(sub);
  const params: WspField[] = [];
  while (sub.pos < end) params.push(readParam(sub));
  r.pos = end;
  return { ...media, params };
}

function readHeader(r: ByteReader): WspField {
  const at = r.pos;
  const b = r.peek();
  if (b & 0x80) {
    const code = r.u8() & 0x7f;
    return { name: lookup(WSP_HEADER_NAMES, code, 'header'), code, value: readGenericValue(r) };
  }
  if (b < 0x20 || b === 0x7f)
    throw codecError('WSP_BAD_HEADER', `header code-page shift 0x${b.toString(16)} is not supported`, at);
  return { name: readText(r), value: readText(r) };
}

export function parsePush(wsp: Uint8Array): ParsedPush {
  const r = new ByteReader(wsp, 'WSP_TRUNCATED');
  const tid = r.u8();
  const pduType = r.u8();
  if (pduType !== WSP_PDU_PUSH)
    throw codecError('WSP_BAD_PDU', `PDU type 0x${pduType.toString(16)} is not Push (0x06)`, 1, { pduType });
  const hlAt = r.pos;
  const headersLength = r.mbUint32();
  if (headersLength > r.remaining)
    throw codecError('WSP_TRUNCATED', `HeadersLen ${headersLength} exceeds the ${r.remaining} octets left`, hlAt);
  if (headersLength === 0) throw codecError('WSP_BAD_HEADER', 'HeadersLen is 0 but Content-Type is mandatory', hlAt);
  const end = r.pos + headersLength;
  const hr = new ByteReader(wsp.subarray(0, end), 'WSP_BAD_HEADER', r.pos);
  const contentType = readContentType(hr);
  const headers: WspField[] = [];
  while (hr.pos < end) headers.push(readHeader(hr));
  const secValue = contentType.params.find((p) => p.code === WSP_PARAM.SEC)?.value;
  const mac = contentType.params.find((p) => p.code === WSP_PARAM.MAC)?.value;
  const appId = headers.find((h) => h.code === HEADER_X_WAP_APPLICATION_ID)?.value;
  const sec = typeof secValue === 'number' ? SEC_BY_VALUE.get(secValue) : undefined;
  return {
    tid,
    pduType,
    headersLength,
    contentType,
    headers,
    bodyOffset: end,
    body: wsp.subarray(end),
    ...(typeof secValue === 'number' ? { secValue } : {}),
    ...(sec ? { sec } : {}),
    ...(typeof mac === 'string' ? { mac } : {}),
    ...(appId === undefined ? {} : { applicationId: appId }),
  };
}
