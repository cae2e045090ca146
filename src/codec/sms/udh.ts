/**
 * SMS User Data Header (3GPP TS 23.040 §9.2.3.24; IEIs as in AOSP SmsHeader; reference
 * §4.4): UDHL, then information elements. A WAP push carries the 16-bit application port
 * IE (destination 2948 = WAP connectionless push, source 9200 = WSP connectionless server)
 * in every segment, plus a concatenation IE when it needs more than one SMS.
 */
import { codecError } from '../../errors.js';

export const IEI = { CONCAT_8BIT_REF: 0x00, PORT_8BIT: 0x04, PORT_16BIT: 0x05, CONCAT_16BIT_REF: 0x08 } as const;
export const WAP_PUSH_PORT = 2948;
export const WSP_SOURCE_PORT = 9200;
/** TP-UD holds at most 140 octets with 8-bit data (TS 23.040 §9.2.3.24). */
export const TP_UD_MAX = 140;

export interface Concat {
  readonly reference: number;
  readonly referenceBits: 8 | 16;
  readonly total: number;
  readonly seq: number;
}
export interface Udh {
  readonly destinationPort?: number;
  readonly sourcePort?: number;
  readonly concat?: Concat;
  readonly elements: ReadonlyArray<{ readonly iei: number; readonly data: Uint8Array }>;
}

/** UDH octets (UDHL included): ports only, ports + 8-bit-reference concat, ports + 16-bit. */
export const UDH_PORTS_LENGTH = 7;
export const UDH_CONCAT8_LENGTH = 12;
export const UDH_CONCAT16_LENGTH = 13;

/** Writes the UDH at the start of `out` (which has room); returns its length. */
export function writeUdh(out: Uint8Array, ports: { destination: number; source: number }, concat?: Concat): number {
  out[1] = IEI.PORT_16BIT;
  out[2] = 4;
  out[3] = ports.destination >> 8;
  out[4] = ports.destination & 0xff;
  out[5] = ports.source >> 8;
  out[6] = ports.source & 0xff;
  const n = concat ? writeConcatIe(out, UDH_PORTS_LENGTH, concat) : UDH_PORTS_LENGTH;
  out[0] = n - 1;
  return n;
}

/** Writes the concatenation IE (8-bit or 16-bit reference) at `at`; returns the offset after it. */
function writeConcatIe(out: Uint8Array, at: number, concat: Concat): number {
  if (concat.referenceBits === 8) {
    out[at] = IEI.CONCAT_8BIT_REF;
    out[at + 1] = 3;
    out[at + 2] = concat.reference;
    out[at + 3] = concat.total;
    out[at + 4] = concat.seq;
    return at + 5;
  }
  out[at] = IEI.CONCAT_16BIT_REF;
  out[at + 1] = 4;
  out[at + 2] = concat.reference >> 8;
  out[at + 3] = concat.reference & 0xff;
  out[at + 4] = concat.total;
  out[at + 5] = concat.seq;
  return at + 6;
}

/** A UDH holding the concatenation IE alone (a concatenated text SMS has no application ports). */
export function buildConcatUdh(concat: Concat): Buffer {
  const out = Buffer.allocUnsafe(concat.referenceBits === 8 ? 6 : 7);
  out[0] = writeConcatIe(out, 1, concat) - 1;
  return out;
}

export function udhLength(concat?: Concat): number {
  return concat?.referenceBits === 8
    ? UDH_CONCAT8_LENGTH
    : concat?.referenceBits === 16
      ? UDH_CONCAT16_LENGTH
      : UDH_PORTS_LENGTH;
}

export function buildUdh(ports: { destination: number; source: number }, concat?: Concat): Uint8Array {
  const out = Buffer.allocUnsafe(udhLength(concat));
  writeUdh(out, ports, concat);
  return out;
}

function concatIe(iei: number, d: Uint8Array, at: number): Concat {
  const bits = iei === IEI.CONCAT_8BIT_REF ? 8 : 16;
  if (d.length !== (bits === 8 ? 3 : 4)) throw codecError('UDH_INVALID', `concatenation IE has length ${d.length}`, at);
  const reference = bits === 8 ? d[0]! : (d[0]! << 8) | d[1]!;
  const total = d[d.length - 2]!;
  const seq = d[d.length - 1]!;
  if (total === 0 || seq === 0 || seq > total)
    throw codecError('UDH_INVALID', `segment ${seq} of ${total} is impossible`, at);
  return { reference, referenceBits: bits, total, seq };
}

/** Splits a short_message (UDHI set) into its parsed UDH and the payload after it. */
export function parseUserData(sm: Uint8Array): { udh: Udh; payload: Uint8Array } {
  if (sm.length === 0) throw codecError('UDH_INVALID', 'short message is empty', 0);
  if (sm.length > TP_UD_MAX)
    throw codecError('UDH_INVALID', `user data is ${sm.length} octets, more than ${TP_UD_MAX}`, TP_UD_MAX);
  const udhl = sm[0]!;
  if (udhl + 1 > sm.length) throw codecError('UDH_INVALID', `UDHL ${udhl} runs past the message`, 0);
  const elements: { iei: number; data: Uint8Array }[] = [];
  let ports: { destinationPort?: number; sourcePort?: number } = {};
  let concat: Concat | undefined;
  for (let p = 1; p < udhl + 1; ) {
    const at = p;
    const iei = sm[p]!;
    const len = sm[p + 1];
    if (len === undefined || p + 2 + len > udhl + 1)
      throw codecError('UDH_INVALID', `IE 0x${iei.toString(16)} runs past the UDH`, at);
    const data = sm.subarray(p + 2, p + 2 + len);
    elements.push({ iei, data });
    if (iei === IEI.CONCAT_8BIT_REF || iei === IEI.CONCAT_16BIT_REF) concat = concatIe(iei, data, at);
    if (iei === IEI.PORT_16BIT) {
      if (len !== 4) throw codecError('UDH_INVALID', `16-bit port IE has length ${len}`, at);
      ports = { destinationPort: (data[0]! << 8) | data[1]!, sourcePort: (data[2]! << 8) | data[3]! };
    }
    if (iei === IEI.PORT_8BIT) {
      if (len !== 2) throw codecError('UDH_INVALID', `8-bit port IE has length ${len}`, at);
      ports = { destinationPort: data[0]!, sourcePort: data[1]! };
    }
    p += 2 + len;
  }
  return { udh: { ...ports, ...(concat ? { concat } : {}), elements }, payload: sm.subarray(udhl + 1) };
}
