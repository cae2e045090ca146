import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { Logger } from '../lib/logger.js';
import { maskPhone } from '../lib/mask.js';

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
  /** For text SMS (data_coding 0x00/0x08, no UDH): the decoded text. */
  readonly text?: string;
  readonly at: Date;
}

export interface DevSmscOptions {
  readonly logger: Logger;
  readonly systemId?: string;
  readonly password?: string;
  /** Delay before a DELIVRD receipt for messages asking for one; null = never send receipts. */
  readonly receiptDelayMs?: number | null;
  /** Test/rehearsal hook: a non-zero SMPP command_status refuses that submit_sm. */
  readonly statusFor?: (submit: { destinationAddr: string; index: number }) => number;
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
  const ies = sm.udh.map((ie) => (Buffer.isBuffer(ie) ? ie : Buffer.from(ie, 'hex')));
  const udh = Buffer.concat(ies);
  return Buffer.concat([Buffer.from([udh.length]), udh, body]);
}

function textOf(pdu: smpp.PDU): { text?: string } {
  const dc = Number(pdu.data_coding);
  if (dc !== 0x00 && dc !== 0x08) return {};
  const m = (pdu.short_message as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? { text: m } : {};
}

/**
 * A development SMSC: an SMPP server on loopback that accepts binds with one system id,
 * answers every submit_sm with a message id, logs what it received (numbers masked), and
 * sends DELIVRD receipts. `npm start` runs it when SMPP_URL is unset; tests use it directly.
 */
export class DevSmsc extends EventEmitter<{ submit: [ReceivedSubmit] }> {
  readonly received: ReceivedSubmit[] = [];
  private server: smpp.Server | null = null;
  private seq = 0;

  constructor(private readonly o: DevSmscOptions) {
    super();
  }

  get systemId(): string { return this.o.systemId ?? 'bootline'; }
  get password(): string { return this.o.password ?? 'devpass'; }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    this.server = smpp.createServer({}, (session) => this.onSession(session));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  private onSession(session: smpp.Session): void {
    let systemId = '';
    session.on('error', () => undefined);
    const bind = (pdu: smpp.PDU) => {
      const ok = pdu.system_id === this.systemId && pdu.password === this.password;
      session.send(pdu.response({ command_status: ok ? 0 : smpp.ESME_RBINDFAIL }));
      if (ok) systemId = String(pdu.system_id); else session.close();
    };
    for (const cmd of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) session.on(cmd, bind);
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => { session.send(pdu.response()); session.close(); });
    session.on('submit_sm', (pdu: smpp.PDU) => this.onSubmit(session, pdu, systemId));
  }

  private onSubmit(session: smpp.Session, pdu: smpp.PDU, systemId: string): void {
    const status = this.o.statusFor?.({ destinationAddr: String(pdu.destination_addr), index: this.seq }) ?? 0;
    if (status !== 0) {
      session.send(pdu.response({ command_status: status }));
      this.o.logger.info({ status }, 'dev smsc refused submit_sm');
      return;
    }
    const messageId = (++this.seq).toString(16).padStart(8, '0');
    session.send(pdu.response({ message_id: messageId }));
    const rec: ReceivedSubmit = {
      systemId, messageId, sourceAddr: String(pdu.source_addr), destinationAddr: String(pdu.destination_addr),
      esmClass: Number(pdu.esm_class), dataCoding: Number(pdu.data_coding), registeredDelivery: Number(pdu.registered_delivery),
      shortMessage: rawShortMessage(pdu), at: new Date(),
      ...(Number(pdu.esm_class) & 0x40 ? {} : textOf(pdu)),
    };
    this.received.push(rec);
    this.o.logger.info({ smscId: messageId, to: maskPhone('+' + rec.destinationAddr), esmClass: rec.esmClass, dataCoding: rec.dataCoding,
      octets: rec.shortMessage.length, udh: (rec.esmClass & 0x40) ? rec.shortMessage.subarray(0, rec.shortMessage[0]! + 1).toString('hex') : '' }, 'dev smsc received submit_sm');
    this.emit('submit', rec);
    const delay = this.o.receiptDelayMs === undefined ? 200 : this.o.receiptDelayMs;
    if (delay !== null && (rec.registeredDelivery & 0x01)) setTimeout(() => this.sendReceipt(session, rec), delay).unref();
  }

  private sendReceipt(session: smpp.Session, rec: ReceivedSubmit): void {
    const text = `id:${rec.messageId} sub:001 dlvrd:001 submit date:0000000000 done date:0000000000 stat:DELIVRD err:000 text:`;
    session.send(new smpp.PDU('deliver_sm', {
      source_addr: rec.destinationAddr, destination_addr: rec.sourceAddr, esm_class: 0x04,
      short_message: Buffer.from(text, 'latin1'), receipted_message_id: rec.messageId, message_state: 2,
    }));
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const session of s.sessions ?? []) session.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = null;
  }
}
