import { EventEmitter } from 'node:events';
import smpp from 'smpp';
import type { SmppTarget } from '../config/config.js';
import { BootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import { parseReceipt, type DeliveryReceipt } from './receipt.js';
import { classifyStatus, statusName } from './smpp-status.js';

export interface SmppClientOptions {
  readonly target: SmppTarget;
  readonly logger: Logger;
  readonly enquireLinkMs?: number;
  readonly responseTimeoutMs?: number;
  /** Max submit_sm awaiting their response on this bind (Kannel's max-pending-submits). */
  readonly window?: number;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
}

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

/**
 * One transceiver bind to an SMSC as a promise API over the `smpp` package, adding what it
 * lacks: reconnect with backoff on a *fresh* Session (re-connecting a closed one never
 * delivers the bind_resp), a response timeout per submit, a submit window, enquire_link
 * answers, and parsed delivery receipts ('receipt' events).
 */
export class SmppClient extends EventEmitter<{ receipt: [DeliveryReceipt]; bound: []; unbound: [] }> {
  private session: smpp.Session | null = null;
  private bound = false;
  private closing = false;
  private attempt = 0;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly pending = new Set<(err: BootlineError) => void>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly o: Required<Omit<SmppClientOptions, 'target' | 'logger'>> & Pick<SmppClientOptions, 'target' | 'logger'>;

  constructor(opts: SmppClientOptions) {
    super();
    this.o = { enquireLinkMs: 30_000, responseTimeoutMs: 10_000, window: 10, reconnectMinMs: 250, reconnectMaxMs: 10_000, ...opts };
  }

  get isBound(): boolean {
    return this.bound;
  }

  start(): void {
    if (this.session || this.closing) return;
    const { host, port, tls, systemId, password } = this.o.target;
    const s = smpp.connect({ host, port, tls, auto_enquire_link_period: this.o.enquireLinkMs });
    this.session = s;
    s.on('connect', () => this.bind(s, systemId, password));
    s.on('error', (err: Error) => this.o.logger.warn({ err: err.message, host, port }, 'smpp connection error'));
    s.on('close', () => this.onClose(s));
    s.on('enquire_link', (pdu: smpp.PDU) => s.send(pdu.response()));
    s.on('unbind', (pdu: smpp.PDU) => { s.send(pdu.response()); s.close(); });
    s.on('deliver_sm', (pdu: smpp.PDU) => {
      s.send(pdu.response());
      const r = parseReceipt(pdu as unknown as Record<string, unknown>);
      if (r) this.emit('receipt', r);
    });
  }

  private bind(s: smpp.Session, system_id: string, password: string): void {
    const timer = setTimeout(() => s.destroy(), this.o.responseTimeoutMs);
    s.send(new smpp.PDU('bind_transceiver', { system_id, password }), (resp) => {
      clearTimeout(timer);
      if (resp.command_status !== 0) {
        this.o.logger.error({ status: statusName(resp.command_status) }, 'smpp bind refused');
        s.close();
        return;
      }
      this.bound = true;
      this.attempt = 0;
      this.o.logger.info({ host: this.o.target.host, port: this.o.target.port }, 'smpp bound');
      this.emit('bound');
    });
  }

  private onClose(s: smpp.Session): void {
    if (this.session !== s) return;
    this.session = null;
    const wasBound = this.bound;
    this.bound = false;
    // Unanswered submits are ambiguous; fail them as retryable so the job re-sends exactly
    // the segments without a recorded message id.
    for (const fail of [...this.pending]) fail(new BootlineError('SMPP_NOT_CONNECTED', 'connection closed before submit_sm_resp'));
    if (wasBound) this.emit('unbound');
    if (this.closing) return;
    const delay = Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** this.attempt++);
    this.reconnectTimer = setTimeout(() => { this.reconnectTimer = null; this.start(); }, delay * (0.5 + Math.random() / 2));
  }

  /** Resolves when bound, or rejects with SMPP_NOT_CONNECTED after `timeoutMs`. */
  async waitBound(timeoutMs: number): Promise<void> {
    if (this.bound) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => { this.off('bound', ok); reject(new BootlineError('SMPP_NOT_CONNECTED', 'no SMPP bind to the SMSC')); }, timeoutMs);
      const ok = () => { clearTimeout(t); resolve(); };
      this.once('bound', ok);
    });
  }

  async submit(fields: SubmitFields): Promise<{ messageId: string }> {
    await this.waitBound(this.o.responseTimeoutMs);
    await this.acquire();
    try {
      return await this.submitNow(fields);
    } finally {
      this.release();
    }
  }

  private submitNow(fields: SubmitFields): Promise<{ messageId: string }> {
    return new Promise((resolve, reject) => {
      const s = this.session;
      let settled = false;
      const done = (fn: () => void) => { if (!settled) { settled = true; clearTimeout(timer); this.pending.delete(fail); fn(); } };
      const fail = (err: BootlineError) => done(() => reject(err));
      const timer = setTimeout(() => fail(new BootlineError('SMPP_TIMEOUT', `no submit_sm_resp within ${this.o.responseTimeoutMs} ms`)), this.o.responseTimeoutMs);
      this.pending.add(fail);
      const sent = s?.send(new smpp.PDU('submit_sm', { ...fields }), (resp) => done(() => {
        if (resp.command_status === 0) resolve({ messageId: String(resp.message_id ?? '') });
        else reject(new BootlineError(classifyStatus(resp.command_status), `SMSC answered ${statusName(resp.command_status)}`, { status: resp.command_status }));
      }));
      if (!sent) fail(new BootlineError('SMPP_NOT_CONNECTED', 'socket not writable'));
    });
  }

  private async acquire(): Promise<void> {
    while (this.inFlight >= this.o.window) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiters.shift()?.();
  }

  /** Unbinds politely (bounded by the response timeout), then closes; no reconnects after. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const s = this.session;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => s.destroy(() => resolve()), Math.min(2_000, this.o.responseTimeoutMs));
      const closeNow = () => s.close(() => { clearTimeout(t); resolve(); });
      if (!this.bound || !s.send(new smpp.PDU('unbind', {}), closeNow)) closeNow();
    });
  }
}
