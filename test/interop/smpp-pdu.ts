/**
 * Test-only SMPP 3.4 submit_sm serializer (§4.4.1): header (command_length, command_id
 * 0x00000004, command_status 0, sequence_number) then the mandatory fields in order,
 * C-Octet Strings NUL-terminated. Only used to feed tshark; bootline's SMPP client is elsewhere.
 */
import type { SubmitSmFields } from '../../src/codec/index.js';

export function submitSmPdu(f: SubmitSmFields, sequence: number): Buffer {
  const c = (s: string) => Buffer.from(s + '\0', 'latin1');
  const u8 = (n: number) => Buffer.from([n]);
  const body = Buffer.concat([
    c(f.service_type),
    u8(f.source_addr_ton),
    u8(f.source_addr_npi),
    c(f.source_addr),
    u8(f.dest_addr_ton),
    u8(f.dest_addr_npi),
    c(f.destination_addr),
    u8(f.esm_class),
    u8(f.protocol_id),
    u8(f.priority_flag),
    c(f.schedule_delivery_time),
    c(f.validity_period),
    u8(f.registered_delivery),
    u8(f.replace_if_present_flag),
    u8(f.data_coding),
    u8(f.sm_default_msg_id),
    u8(f.short_message.length),
    Buffer.from(f.short_message),
  ]);
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(0x00000004, 4);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(sequence, 12);
  return Buffer.concat([header, body]);
}

/** `od -Ax -tx1`-style dump: text2pcap makes one packet per block whose offsets restart at 0. */
export function hexDump(packets: readonly Uint8Array[]): string {
  const out: string[] = [];
  for (const p of packets) {
    for (let o = 0; o < p.length; o += 16) {
      out.push(
        o.toString(16).padStart(6, '0') +
          ' ' +
          [...p.subarray(o, o + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
      );
    }
    out.push('');
  }
  return out.join('\n');
}
