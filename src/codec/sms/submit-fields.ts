/**
 * The SMPP 3.4 submit_sm field set for one segment (§4.4.1; values from reference §4.6),
 * named as in the specification and in node-smpp. Data only: the SMPP client sends it.
 */
import type { SmsSegment } from './segment.js';

export interface SubmitSmAddressing {
  /** Originator: digits (numeric, TON 1/NPI 1) or up to 11 characters (alphanumeric, TON 5/NPI 0). */
  readonly sourceAddr: string;
  /** MSISDN, international format; a leading '+' is dropped. */
  readonly destinationAddr: string;
  readonly sourceAddrTon?: number;
  readonly sourceAddrNpi?: number;
  readonly serviceType?: string;
}

export interface SubmitSmFields {
  readonly service_type: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly destination_addr: string;
  readonly esm_class: number;
  readonly protocol_id: number;
  readonly priority_flag: number;
  readonly schedule_delivery_time: string;
  readonly validity_period: string;
  readonly registered_delivery: number;
  readonly replace_if_present_flag: number;
  readonly data_coding: number;
  readonly sm_default_msg_id: number;
  readonly short_message: Uint8Array;
}

export function submitSmFields(seg: SmsSegment, addr: SubmitSmAddressing): SubmitSmFields {
  const numeric = /^\+?[0-9]+$/.test(addr.sourceAddr);
  return {
    service_type: addr.serviceType ?? '',
    source_addr_ton: addr.sourceAddrTon ?? (numeric ? 0x01 : 0x05),
    source_addr_npi: addr.sourceAddrNpi ?? (numeric ? 0x01 : 0x00),
    source_addr: numeric ? addr.sourceAddr.replace(/^\+/, '') : addr.sourceAddr,
    dest_addr_ton: 0x01,
    dest_addr_npi: 0x01,
    destination_addr: addr.destinationAddr.replace(/^\+/, ''),
    esm_class: seg.esmClass,
    protocol_id: 0x00,
    priority_flag: 0x00,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: seg.registeredDelivery,
    replace_if_present_flag: 0x00,
    data_coding: seg.dataCoding,
    sm_default_msg_id: 0x00,
    short_message: seg.shortMessage,
  };
}
