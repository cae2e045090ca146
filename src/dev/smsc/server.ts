import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import { TokenBucket, type DevSmscFaults, type ReceiptStat } from './faults.js';
import { flushCorked, sendCorked } from '../../smpp/cork.js';
import { receiptPdu, toReceived, type ReceivedSubmit } from './pdu.js';

export type { ReceivedSubmit } from './pdu.js';

/** A submit_sm the SMSC read and never answered (silent, hung, or dropped with it). */
export interface UnansweredSubmit {
  readonly session: number;
  readonly destinationAddr: string;
  readonly shortMessage: Buffer;
  readonly at: Date;
}
export type { DevSmscFaults } from './faults.js';

export interface DevSmscOptions {
  readonly logger: Logger;
  readonly systemId?: string;
  readonly password?: string;
  /** More accounts (system_id → password), each with its own receipts, as an SMSC serves several ESMEs. */
  readonly accounts?: Readonly<Record<string, string>>;
  /** Delay before a receipt for messages asking for one; null = never send receipts. */
  readonly receiptDelayMs?: number | null;
  /** Test hook: a non-zero SMPP command_status refuses that submit_sm. */
  readonly statusFor?: (submit: { destinationAddr: string; index: number }) => number;
  readonly faults?: DevSmscFaults;
  /** First message id (as a number); default a random offset. Tests set it to rehearse an SMSC reusing ids. */
  readonly firstMessageId?: number;
}

interface Peer {
  readonly n: number;
  readonly session: smpp.Session;
  systemId: string;
  bindType: string;
  alive: boolean;
  /** Wedged by the `hang` fault: reads everything, answers nothing. */
  hung?: boolean;
  pending: number;
  unacked: Set<ReceivedSubmit>;
  bucket?: TokenBucket;
  corked?: boolean;
}

const send = (peer: Peer, pdu: smpp.PDU, cb?: (resp: smpp.PDU) => void) => {
  sendCorked(peer, peer.session, pdu, cb);
};

/**
 * A development SMSC: an SMPP server on loopback that accepts binds with one system id,
 * answers submit_sm with message ids, logs what it accepted (numbers masked), and sends
 * receipts on a bind that may receive them (transceiver or receiver). `received` holds
 * exactly the submits it acknowledged. Fault switches (faults.ts) make it throttle, hang,
 * refuse a destination, drop connections, answer slowly, or delay/withhold receipts.
 */
export class DevSmsc extends EventEmitter<{ submit: [ReceivedSubmit]; unanswered: [UnansweredSubmit] }> {
  readonly received: ReceivedSubmit[] = [];
  /** Counters for assertions and the bench. */
  readonly counts = { throttled: 0, refused: 0, unanswered: 0, drops: 0, maxPending: 0 };
  faults: DevSmscFaults;
  private server: smpp.Server | null = null;
  private readonly peers = new Set<Peer>();
  private readonly waitingReceipts: Array<{ rec: ReceivedSubmit; systemId: string }> = [];
  private seq = 0;
  /**
   * Message ids start at a random offset: ids from 1 on every start collided with the pointers
   * an earlier run (or test) left in the same Redis, and a fast receipt then found the old one.
   */
  private readonly idBase: number;
  private rr = 0;
  private sessionSeq = 0;

  constructor(private readonly o: DevSmscOptions) {
    super();
    this.faults = { receiptDelayMs: o.receiptDelayMs === undefined ? 200 : o.receiptDelayMs, ...o.faults };
    this.idBase = o.firstMessageId !== undefined ? o.firstMessageId - 1 : randomInt(0, 0x7000_0000);
  }

  get systemId(): string {
    return this.o.systemId ?? 'bootline';
  }
  get password(): string {
    return this.o.password ?? 'devpass';
  }
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }
  /** Receipts not yet acknowledged by bootline (waiting for a receiver, or sent and unanswered). */
  get pendingReceipts(): number {
    return this.waitingReceipts.length + [...this.peers].reduce((n, p) => n + p.unacked.size, 0);
  }
  get sessions(): number {
    return [...this.peers].filter((p) => p.alive && p.systemId).length;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    this.server = smpp.createServer({}, (session) => this.onSession(session));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  setFaults(f: DevSmscFaults): void {
    if (f.hang !== undefined && f.hang !== false) {
      for (const p of this.peers) if (p.systemId && (f.hang === true || f.hang === p.n)) p.hung = true;
      f = { ...f };
      delete f.hang;
    }
    this.faults = f;
    for (const p of this.peers) delete p.bucket;
    if (f.receipts !== 'withhold') this.releaseReceipts();
  }

  /** Drops every connection now (no unbind), like an SMSC restart. */
  dropConnections(): void {
    this.counts.drops++;
    for (const p of this.peers) {
      p.alive = false;
      flushCorked(p.session);
      p.session.destroy();
    }
  }

  /** Sends the receipts held back by `receipts: 'withhold'` or for want of a receiver. */
  releaseReceipts(): void {
    for (const w of this.waitingReceipts.splice(0)) this.sendReceipt(w.rec, w.systemId);
  }

  /** Sends a receipt for any message id (e.g. one bootline never submitted). */
  injectReceipt(messageId: string, destinationAddr: string, stat: ReceiptStat = 'DELIVRD'): void {
    const rec = {
      systemId: this.systemId,
      messageId,
      sourceAddr: 'BOOTLINE',
      destinationAddr,
      esmClass: 0,
      dataCoding: 4,
      registeredDelivery: 1,
      shortMessage: Buffer.alloc(0),
      at: new Date(),
      session: 0,
    };
    const rx = [...this.peers].find((p) => p.alive && p.systemId === this.systemId && p.bindType !== 'transmitter');
    rx?.session.send(receiptPdu(rec, stat));
  }

  private onSession(session: smpp.Session): void {
    const peer: Peer = {
      n: ++this.sessionSeq,
      session,
      systemId: '',
      bindType: '',
      alive: true,
      pending: 0,
      unacked: new Set(),
    };
    this.peers.add(peer);
    session.on('error', () => undefined);
    session.on('close', () => {
      peer.alive = false;
      this.peers.delete(peer);
      // Like a real SMSC: a receipt whose deliver_sm was never answered is delivered again later.
      for (const rec of peer.unacked) this.waitingReceipts.push({ rec, systemId: peer.systemId });
      if (peer.unacked.size && this.faults.receipts !== 'withhold')
        setTimeout(() => this.releaseReceipts(), 50).unref();
    });
    for (const type of ['transceiver', 'transmitter', 'receiver']) {
      session.on(`bind_${type}`, (pdu: smpp.PDU) => {
        const ok =
          (pdu.system_id === this.systemId && pdu.password === this.password) ||
          (typeof pdu.system_id === 'string' && this.o.accounts?.[pdu.system_id] === pdu.password);
        session.send(pdu.response({ command_status: ok ? 0 : smpp.ESME_RBINDFAIL }));
        if (!ok) {
          session.close();
          return;
        }
        Object.assign(peer, { systemId: String(pdu.system_id), bindType: type });
        if (type !== 'transmitter' && this.faults.receipts !== 'withhold') this.releaseReceipts();
      });
    }
    session.on('enquire_link', (pdu: smpp.PDU) => {
      if (!this.faults.silent && !peer.hung) session.send(pdu.response());
    });
    session.on('unbind', (pdu: smpp.PDU) => {
      if (peer.hung) return;
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: smpp.PDU) => this.onSubmit(peer, pdu));
  }

  private onSubmit(peer: Peer, pdu: smpp.PDU): void {
    const f = this.faults;
    if (f.silent || peer.hung || peer.bindType === 'receiver') {
      this.counts.unanswered++;
      const sm = toReceived(pdu, peer.systemId, '', peer.n);
      this.emit('unanswered', {
        session: peer.n,
        destinationAddr: sm.destinationAddr,
        shortMessage: sm.shortMessage,
        at: sm.at,
      });
      return;
    }
    if (f.dropAfter === 0) {
      f.dropAfter = null;
      this.counts.unanswered++;
      this.dropConnections();
      return;
    }
    if (typeof f.dropAfter === 'number') f.dropAfter--;
    const dest = String(pdu.destination_addr);
    let status = this.o.statusFor?.({ destinationAddr: dest, index: this.seq }) || f.reject?.[dest] || 0;
    if (!status && f.throttleTps) {
      peer.bucket ??= new TokenBucket(f.throttleTps, f.throttleBurst ?? Math.max(2, Math.ceil(f.throttleTps / 10)));
      if (!peer.bucket.take()) {
        status = smpp.ESME_RTHROTTLED;
        this.counts.throttled++;
      }
    }
    this.counts.maxPending = Math.max(this.counts.maxPending, ++peer.pending);
    const answer = () => {
      peer.pending--;
      this.answer(peer, pdu, status);
    };
    if (f.respondDelayMs) setTimeout(answer, f.respondDelayMs).unref();
    else answer();
  }

  private answer(peer: Peer, pdu: smpp.PDU, status: number): void {
    if (!peer.alive) {
      this.counts.unanswered++;
      return;
    }
    if (status !== 0) {
      send(peer, pdu.response({ command_status: status }));
      if (status !== smpp.ESME_RTHROTTLED) {
        this.counts.refused++;
        this.o.logger.info({ status }, 'dev smsc refused submit_sm');
      }
      return;
    }
    const messageId = (this.idBase + ++this.seq).toString(16).padStart(8, '0');
    send(peer, pdu.response({ message_id: messageId }));
    const rec = toReceived(pdu, peer.systemId, messageId, peer.n);
    this.received.push(rec);
    // Built only when it is logged: the benchmark runs this SMSC with a silent logger.
    if (this.o.logger.isLevelEnabled('info')) {
      this.o.logger.info(
        {
          smscId: messageId,
          to: maskPhone('+' + rec.destinationAddr),
          esmClass: rec.esmClass,
          dataCoding: rec.dataCoding,
          octets: rec.shortMessage.length,
          udh: rec.esmClass & 0x40 ? rec.shortMessage.subarray(0, rec.shortMessage[0]! + 1).toString('hex') : '',
        },
        'dev smsc received submit_sm',
      );
    }
    this.emit('submit', rec);
    const delay = this.faults.receiptDelayMs;
    if (delay !== null && delay !== undefined && rec.registeredDelivery & 0x01)
      setTimeout(() => this.queueReceipt(rec, peer.systemId), delay).unref();
  }

  private queueReceipt(rec: ReceivedSubmit, systemId: string): void {
    if (this.faults.receipts === 'withhold') this.waitingReceipts.push({ rec, systemId });
    else this.sendReceipt(rec, systemId);
  }

  /** Receipts go to any live bind of that system id that may receive (round robin), else wait for one. */
  private sendReceipt(rec: ReceivedSubmit, systemId: string): void {
    const rx = [...this.peers].filter((p) => p.alive && p.systemId === systemId && p.bindType !== 'transmitter');
    if (rx.length === 0) {
      this.waitingReceipts.push({ rec, systemId });
      return;
    }
    const peer = rx[this.rr++ % rx.length]!;
    peer.unacked.add(rec);
    send(peer, receiptPdu(rec, this.faults.receiptState ?? 'DELIVRD'), (resp) => {
      peer.unacked.delete(rec);
      // ESME_RX_T_APPN and friends: the ESME could not take it now; offer it again.
      if (resp.command_status !== 0) setTimeout(() => this.sendReceipt(rec, systemId), 200).unref();
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const p of this.peers) {
      p.alive = false;
      p.session.destroy();
    }
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = null;
  }
}
