/**
 * The submit_sm fields for one SMS (SMPP v3.4 §4.4.1), named as in the specification and in
 * node-smpp: the one place that turns bootline's addresses and SMS parts into them, for the
 * push segments, the text SMS and the interop tools alike. Data only: the SMPP client sends it.
 *
 * Addresses (§5.2.5 addr_ton, §5.2.6 addr_npi): the destination is an E.164 number, sent
 * international (TON 1, NPI 1 ISDN/E.164) without its '+'. The originator is numeric when it
 * is digits, with or without a leading '+' — a '+' marks an international number, which is
 * what TON 1 says, so it is dropped like the destination's — and alphanumeric (TON 5, NPI 0)
 * otherwise (a name such as BOOTLINE, at most 11 characters on most networks).
 */
import type { SmsSegment } from './segment.js';

/** The six address fields of a submit_sm. */
export interface SubmitAddress {
  readonly source_addr: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly destination_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
}

/** The submit_sm fields bootline sets; the others keep their SMPP defaults (empty / 0). */
export interface SubmitFields extends SubmitAddress {
  readonly esm_class: number;
  readonly data_coding: number;
  readonly registered_delivery: number;
  readonly short_message: Buffer;
}

/** One SMS as the codec builds it (a push segment, a text part). */
export interface SmsPart {
  readonly esmClass: number;
  readonly dataCoding: number;
  /** SMPP registered_delivery; 0 (no receipt) when absent. */
  readonly registeredDelivery?: number;
  readonly shortMessage: Uint8Array;
}

const TON_INTERNATIONAL = 0x01;
const TON_ALPHANUMERIC = 0x05;
const NPI_ISDN = 0x01;
const NPI_UNKNOWN = 0x00;
const NUMERIC = /^\+?[0-9]+$/;

export function submitAddress(
  sourceAddr: string,
  destinationE164: string,
  override: { readonly sourceAddrTon?: number; readonly sourceAddrNpi?: number } = {},
): SubmitAddress {
  const numeric = NUMERIC.test(sourceAddr);
  return {
    source_addr: numeric ? dropPlus(sourceAddr) : sourceAddr,
    source_addr_ton: override.sourceAddrTon ?? (numeric ? TON_INTERNATIONAL : TON_ALPHANUMERIC),
    source_addr_npi: override.sourceAddrNpi ?? (numeric ? NPI_ISDN : NPI_UNKNOWN),
    destination_addr: dropPlus(destinationE164),
    dest_addr_ton: TON_INTERNATIONAL,
    dest_addr_npi: NPI_ISDN,
  };
}

/** One SMS's submit_sm fields; the short_message is the part's own bytes (no copy). */
export function submitFields(part: SmsPart, address: SubmitAddress): SubmitFields {
  const sm = part.shortMessage;
  return {
    ...address,
    esm_class: part.esmClass,
    data_coding: part.dataCoding,
    registered_delivery: part.registeredDelivery ?? 0,
    short_message: Buffer.isBuffer(sm) ? sm : Buffer.from(sm.buffer, sm.byteOffset, sm.byteLength),
  };
}

const dropPlus = (addr: string) => (addr.charCodeAt(0) === 0x2b ? addr.slice(1) : addr);

export interface SubmitSmAddressing {
  /** Originator: digits (numeric, TON 1/NPI 1) or up to 11 characters (alphanumeric, TON 5/NPI 0). */
  readonly sourceAddr: string;
  /** MSISDN, international format; a leading '+' is dropped. */
  readonly destinationAddr: string;
  readonly sourceAddrTon?: number;
  readonly sourceAddrNpi?: number;
  readonly serviceType?: string;
}

/** Every submit_sm field (§4.4.1), for tools that write whole PDUs (the interop tests). */
export interface SubmitSmFields extends SubmitFields {
  readonly service_type: string;
  readonly protocol_id: number;
  readonly priority_flag: number;
  readonly schedule_delivery_time: string;
  readonly validity_period: string;
  readonly replace_if_present_flag: number;
  readonly sm_default_msg_id: number;
}

export function submitSmFields(seg: SmsSegment, addr: SubmitSmAddressing): SubmitSmFields {
  return {
    service_type: addr.serviceType ?? '',
    ...submitFields(seg, submitAddress(addr.sourceAddr, addr.destinationAddr, addr)),
    protocol_id: 0x00,
    priority_flag: 0x00,
    schedule_delivery_time: '',
    validity_period: '',
    replace_if_present_flag: 0x00,
    sm_default_msg_id: 0x00,
  };
}
