/**
 * WSP PDU → SMS segments. Sizes with 8-bit data (a 140-octet TP-UD, 3GPP TS 23.040 §9.2.3.24):
 * one SMS carries 133 payload octets behind the 7-octet port UDH (§9.2.3.24.4); concatenated
 * parts carry 128 (8-bit ref, §9.2.3.24.1, 12-octet UDH) or 127 (16-bit ref, §9.2.3.24.8,
 * 13 octets). The port IE is repeated in every segment, as Kannel (gw/sms.c) does.
 * TS 23.040: at most 255 segments (the total is one octet).
 */
import { codecError } from '../../errors.js';
import {
  TP_UD_MAX,
  UDH_CONCAT16_LENGTH,
  UDH_CONCAT8_LENGTH,
  UDH_PORTS_LENGTH,
  udhLength,
  WAP_PUSH_PORT,
  WSP_SOURCE_PORT,
  writeUdh,
  type Concat,
} from './udh.js';

export const MAX_SEGMENTS = 255;
/** esm_class with UDHI set, default (store-and-forward) mode (SMPP 3.4 §5.2.12). */
export const ESM_CLASS_UDHI = 0x40;
/** 0x04 = 8-bit data, no class; 0xF5 = 8-bit data, class 1 (ME-specific). Never 0xF4 (flash) or 0xF6 (SIM). */
export const DATA_CODINGS = [0x04, 0xf5] as const;
export type DataCoding = (typeof DATA_CODINGS)[number];

export interface SegmentOptions {
  /** Concatenation reference; the caller picks it (no randomness in the codec). */
  readonly reference: number;
  readonly referenceBits?: 8 | 16;
  /** Defaults to 0x04. */
  readonly dataCoding?: DataCoding;
  /** SMPP registered_delivery; defaults to 0x01 (SMSC delivery receipt). */
  readonly registeredDelivery?: number;
  readonly destinationPort?: number;
  readonly sourcePort?: number;
}

export interface SmsSegment {
  /** 1-based position. */
  readonly index: number;
  readonly total: number;
  readonly udh: Uint8Array;
  readonly payload: Uint8Array;
  /** UDH ‖ payload: the SMPP short_message. */
  readonly shortMessage: Uint8Array;
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly registeredDelivery: number;
}

function checkRange(n: number, max: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw codecError('CODEC_BAD_OPTION', `${what} ${n} is outside 0..${max}`, 0);
  return n;
}

export function segmentPush(wsp: Uint8Array, opts: SegmentOptions): SmsSegment[] {
  const bits = opts.referenceBits ?? 8;
  if (bits !== 8 && bits !== 16)
    throw codecError('CODEC_BAD_OPTION', `reference size ${String(bits)} is not 8 or 16`, 0);
  const reference = checkRange(opts.reference, bits === 8 ? 0xff : 0xffff, 'concatenation reference');
  const dataCoding = opts.dataCoding ?? 0x04;
  if (!DATA_CODINGS.includes(dataCoding))
    throw codecError('CODEC_BAD_OPTION', `data_coding 0x${Number(dataCoding).toString(16)} is not 0x04 or 0xF5`, 0);
  const registeredDelivery = checkRange(opts.registeredDelivery ?? 1, 0xff, 'registered_delivery');
  const ports = {
    destination: checkRange(opts.destinationPort ?? WAP_PUSH_PORT, 0xffff, 'port'),
    source: checkRange(opts.sourcePort ?? WSP_SOURCE_PORT, 0xffff, 'port'),
  };
  if (wsp.length === 0) throw codecError('CODEC_BAD_OPTION', 'nothing to send', 0);
  if (wsp.length <= TP_UD_MAX - UDH_PORTS_LENGTH) {
    const sm = shortMessage(wsp, ports, undefined);
    return [
      {
        index: 1,
        total: 1,
        udh: sm.subarray(0, UDH_PORTS_LENGTH),
        payload: wsp,
        shortMessage: sm,
        esmClass: ESM_CLASS_UDHI,
        dataCoding,
        registeredDelivery,
      },
    ];
  }
  const udhOctets = bits === 8 ? UDH_CONCAT8_LENGTH : UDH_CONCAT16_LENGTH;
  const per = TP_UD_MAX - udhOctets;
  const total = Math.ceil(wsp.length / per);
  if (total > MAX_SEGMENTS) {
    throw codecError(
      'SMS_TOO_MANY_SEGMENTS',
      `${wsp.length} octets need ${total} segments of ${per}; the limit is ${MAX_SEGMENTS}`,
      MAX_SEGMENTS * per,
      { segments: total },
    );
  }
  const out: SmsSegment[] = [];
  for (let i = 0; i < total; i++) {
    const payload = wsp.subarray(i * per, (i + 1) * per);
    const sm = shortMessage(payload, ports, { reference, referenceBits: bits, total, seq: i + 1 });
    out.push({
      index: i + 1,
      total,
      udh: sm.subarray(0, udhOctets),
      payload,
      shortMessage: sm,
      esmClass: ESM_CLASS_UDHI,
      dataCoding,
      registeredDelivery,
    });
  }
  return out;
}

/** UDH ‖ payload in one allocation; `udh` is handed out as a view of its head. */
function shortMessage(
  payload: Uint8Array,
  ports: { destination: number; source: number },
  concat: Concat | undefined,
): Buffer {
  const sm = Buffer.allocUnsafe(udhLength(concat) + payload.length);
  sm.set(payload, writeUdh(sm, ports, concat));
  return sm;
}
