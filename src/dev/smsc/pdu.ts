import smpp from 'smpp';
import { MESSAGE_STATE, type ReceiptStat } from './faults.js';

export interface ReceivedSubmit {
  readonly systemId: string;
  readonly messageId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly registeredDelivery: number;
  /** short_message exactly as sent: UDH (if UDHI) ‖ payload. */
  readonly shortMessage: Buffer;
  /** For text SMS (data_coding 0x00/0x08): the decoded text of this part. */
  readonly text?: string;
  readonly at: Date;
  /** Which connection (bind) it came on, numbered from 1 in order of connection. */
  readonly session: number;
}

/** Re-encodes text node-smpp decoded for us, with the alphabet the data_coding names. */
function reencode(text: string, dataCoding: number): Buffer {
  if (dataCoding === 0x08) return smpp.encodings.UCS2.encode(text);
  if (dataCoding === 0x03) return smpp.encodings.LATIN1.encode(text);
  return smpp.encodings.ASCII.encode(text);
}

/** node-smpp decodes short_message into {udh: [IE hex…], message}; rebuild the raw octets. */
function rawShortMessage(pdu: smpp.PDU): Buffer {
  const sm = pdu.short_message as { udh?: Buffer[] | string[]; message?: Buffer | string } | Buffer | undefined;
  if (!sm) return Buffer.alloc(0);
  if (Buffer.isBuffer(sm)) return sm;
  const body = Buffer.isBuffer(sm.message) ? sm.message : reencode(sm.message ?? '', Number(pdu.data_coding));
  if (!sm.udh || sm.udh.length === 0) return body;
  const udh = Buffer.concat(sm.udh.map((ie) => (Buffer.isBuffer(ie) ? ie : Buffer.from(ie, 'hex'))));
  return Buffer.concat([Buffer.from([udh.length]), udh, body]);
}

function textOf(pdu: smpp.PDU): { text?: string } {
  const dc = Number(pdu.data_coding);
  if (dc !== 0x00 && dc !== 0x08) return {};
  const m = (pdu.short_message as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? { text: m } : {};
}

export function toReceived(pdu: smpp.PDU, systemId: string, messageId: string, session: number): ReceivedSubmit {
  return {
    systemId,
    messageId,
    sourceAddr: String(pdu.source_addr),
    destinationAddr: String(pdu.destination_addr),
    esmClass: Number(pdu.esm_class),
    dataCoding: Number(pdu.data_coding),
    registeredDelivery: Number(pdu.registered_delivery),
    shortMessage: rawShortMessage(pdu),
    at: new Date(),
    session,
    ...textOf(pdu),
  };
}

/** A delivery receipt per SMPP v3.4 §5.2.12 with the Appendix B text and both TLVs. */
export function receiptPdu(rec: ReceivedSubmit, stat: ReceiptStat): smpp.PDU {
  const err = stat === 'DELIVRD' ? '000' : '001';
  const text =
    `id:${rec.messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} ` +
    `submit date:0000000000 done date:0000000000 stat:${stat} err:${err} text:`;
  return new smpp.PDU('deliver_sm', {
    source_addr: rec.destinationAddr,
    destination_addr: rec.sourceAddr,
    esm_class: 0x04,
    short_message: Buffer.from(text, 'latin1'),
    receipted_message_id: rec.messageId,
    message_state: MESSAGE_STATE[stat],
  });
}
