/** The submit_sm fields bootline sets (SMPP v3.4 §4.4.1), as node-smpp names them. */
export interface SubmitFields {
  readonly source_addr: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly destination_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly esm_class: number;
  readonly data_coding: number;
  readonly registered_delivery: number;
  readonly short_message: Buffer;
}

/** Our sender: digits → international (TON 1, NPI 1), else alphanumeric (TON 5, NPI 0) per SMPP v3.4 §5.2.5-6. */
export function sourceAddress(
  sourceAddr: string,
): Pick<SubmitFields, 'source_addr' | 'source_addr_ton' | 'source_addr_npi'> {
  const numeric = /^\d+$/.test(sourceAddr);
  return { source_addr: sourceAddr, source_addr_ton: numeric ? 1 : 5, source_addr_npi: numeric ? 1 : 0 };
}

/** An E.164 destination without '+', international TON/NPI. */
export function destinationAddress(
  e164: string,
): Pick<SubmitFields, 'destination_addr' | 'dest_addr_ton' | 'dest_addr_npi'> {
  return { destination_addr: e164.replace(/^\+/, ''), dest_addr_ton: 1, dest_addr_npi: 1 };
}
