import { EventEmitter } from 'node:events';
import smpp from 'smpp';
import type { SmppTarget } from '../config/config.js';
import { BootlineError, isBootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import { Pacer, Window } from './pacer.js';
import { COMMAND_STATUS, classifyStatus, statusName } from './status.js';
import type { SubmitFields } from '../codec/sms/submit-fields.js';
import { sendCorked } from './cork.js';

export type BindType = 'transceiver' | 'transmitter' | 'receiver';

export interface BindOptions {
  readonly target: SmppTarget;
  readonly type: BindType;
  readonly logger: Logger;
  readonly window: number;
  readonly tps: number;
  readonly responseTimeoutMs: number;
  readonly enquireLinkMs: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** How long the enquire_link probing a session whose submit went unanswered may take; default T/4, at most 2 s. */
  readonly probeTimeoutMs?: number;
  /** Answers deliver_sm: resolve → ESME_ROK, reject → ESME_RX_T_APPN (the SMSC re-delivers later). */
  readonly onDeliver: (pdu: smpp.PDU) => Promise<void>;
}

/**
 * One SMPP bind as a promise API over the `smpp` package, adding what it lacks: reconnect
 * with backoff on a *fresh* Session (re-connecting a closed one never delivers the
 * bind_resp), an enquire_link keep-alive that recycles a silent link, a submit window, a
 * TPS pacer, and a response timeout per request.
 *
 * A submit_sm left unanswered past the response timeout ends the session's use at once: no
 * further submit goes into it (its answer may yet come, and the SMSC is in a state we do not
 * know), an enquire_link probes it with a short timeout (SMPP v3.4 §4.11), and a fresh bind
 * replaces it without backoff — dropped if the probe goes unanswered, unbound politely (§4.2)
 * if it answers. The submits it held fail as retryable and the client sends them on a healthy
 * bind: from the first silence to the resubmission takes the response timeout plus the probe
 * (≤ 1.25 × the timeout), not the next keep-alive's timeout.
 */
export class SmppBind extends EventEmitter<{ bound: []; unbound: [] }> {
  private session: smpp.Session | null = null;
  private bound = false;
  /** A submit_sm in this session went unanswered: bound still, but not to be used (see the class comment). */
  private distrusted = false;
  /** The next reconnect goes at once: the session was retired, not refused. */
  private rebindNow = false;
  private closing = false;
  private readonly cork: { corked?: boolean } = {};
  private attempt = 0;
  private timers: NodeJS.Timeout[] = [];
  private readonly pending = new Set<(err: BootlineError) => void>();
  readonly window: Window;
  readonly pacer: Pacer;

  constructor(private readonly o: BindOptions) {
    super();
    this.window = new Window(o.window);
    this.pacer = new Pacer(o.tps);
  }

  /** Bound and trusted: a session whose submit went unanswered no longer counts. */
  get isBound(): boolean {
    return this.bound && !this.distrusted;
  }
  private get probeMs(): number {
    return this.o.probeTimeoutMs ?? Math.max(50, Math.min(2_000, Math.round(this.o.responseTimeoutMs / 4)));
  }
  get type(): BindType {
    return this.o.type;
  }
  get load(): number {
    return this.window.inFlight + this.window.queued;
  }

  start(): void {
    if (this.session || this.closing) return;
    const { host, port, tls } = this.o.target;
    const s = smpp.connect({ host, port, tls });
    this.session = s;
    s.on('connect', () => this.bind(s));
    s.on('error', (err: Error) =>
      this.o.logger.warn({ err: err.message, host, port, bind: this.o.type }, 'smpp connection error'),
    );
    s.on('close', () => this.onClose(s));
    s.on('enquire_link', (pdu: smpp.PDU) => s.send(pdu.response()));
    s.on('unbind', (pdu: smpp.PDU) => {
      s.send(pdu.response());
      s.close();
    });
    s.on('deliver_sm', (pdu: smpp.PDU) => {
      this.o.onDeliver(pdu).then(
        () => this.send(s, pdu.response()),
        () => this.send(s, pdu.response({ command_status: COMMAND_STATUS.ESME_RX_T_APPN })),
      );
    });
  }

  private bind(s: smpp.Session): void {
    const { systemId: system_id, password } = this.o.target;
    this.request(s, new smpp.PDU(`bind_${this.o.type}`, { system_id, password })).then(
      (resp) => {
        if (resp.command_status !== 0) {
          this.o.logger.error({ status: statusName(resp.command_status), bind: this.o.type }, 'smpp bind refused');
          s.close();
          return;
        }
        this.bound = true;
        this.attempt = 0;
        this.keepAlive(s);
        this.o.logger.info({ host: this.o.target.host, port: this.o.target.port, bind: this.o.type }, 'smpp bound');
        this.emit('bound');
      },
      () => s.destroy(),
    );
  }

  /** enquire_link every period; no answer within the response timeout → the link is dead. */
  private keepAlive(s: smpp.Session): void {
    const tick = setInterval(() => {
      this.request(s, new smpp.PDU('enquire_link', {})).catch(() => {
        this.o.logger.warn({ bind: this.o.type }, 'smpp link silent; reconnecting');
        s.destroy();
      });
    }, this.o.enquireLinkMs);
    this.timers.push(tick);
  }

  private onClose(s: smpp.Session): void {
    if (this.session !== s) return;
    this.session = null;
    for (const t of this.timers.splice(0)) clearInterval(t);
    const wasBound = this.bound;
    this.bound = false;
    this.distrusted = false;
    // An unanswered submit is ambiguous; it fails as retryable and the job re-sends exactly
    // the segments that have no recorded message id.
    for (const fail of [...this.pending])
      fail(new BootlineError('SMPP_NOT_CONNECTED', 'connection closed before the response'));
    if (wasBound) this.emit('unbound');
    if (this.closing) return;
    const delay = this.rebindNow ? 0 : Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** this.attempt++);
    this.rebindNow = false;
    const t = setTimeout(() => this.start(), delay * (0.5 + Math.random() / 2));
    this.timers.push(t);
  }

  /** Window slot, then pacing, then the submit_sm with its response timeout. */
  async submit(fields: SubmitFields): Promise<{ messageId: string }> {
    await this.window.acquire();
    try {
      await this.pacer.take();
      const s = this.session;
      if (!s || !this.isBound) throw new BootlineError('SMPP_NOT_CONNECTED', 'bind lost before the submit');
      const resp = await this.request(s, new smpp.PDU('submit_sm', { ...fields })).catch((err: unknown) => {
        if (isBootlineError(err, 'SMPP_TIMEOUT')) this.distrust(s);
        throw err;
      });
      if (resp.command_status === 0) return { messageId: String(resp.message_id ?? '') };
      throw new BootlineError(classifyStatus(resp.command_status), `SMSC answered ${statusName(resp.command_status)}`, {
        status: resp.command_status,
      });
    } finally {
      this.window.release();
    }
  }

  /** Retires a session whose submit went unanswered: probed at once, then dropped or unbound, and re-made. */
  private distrust(s: smpp.Session): void {
    if (this.session !== s || this.distrusted || !this.bound) return;
    this.distrusted = true;
    this.rebindNow = true;
    const log = { bind: this.o.type, probeMs: this.probeMs };
    this.o.logger.warn(log, 'smpp submit unanswered; probing the link, no more submits on it');
    this.request(s, new smpp.PDU('enquire_link', {}), this.probeMs).then(
      () => {
        this.o.logger.warn(log, 'smpp link answers but left a submit unanswered; binding afresh');
        const t = setTimeout(() => s.destroy(), this.probeMs);
        const closeNow = () => {
          clearTimeout(t);
          s.close();
        };
        if (!this.send(s, new smpp.PDU('unbind', {}), closeNow)) closeNow();
      },
      () => {
        this.o.logger.warn(log, 'smpp link silent; binding afresh');
        s.destroy();
      },
    );
  }

  /** Sends one request PDU; rejects on timeout (SMPP_TIMEOUT) or a closed link (SMPP_NOT_CONNECTED). */
  private request(s: smpp.Session, pdu: smpp.PDU, timeoutMs = this.o.responseTimeoutMs): Promise<smpp.PDU> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (fn: () => void) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          this.pending.delete(fail);
          fn();
        }
      };
      const fail = (err: BootlineError) => done(() => reject(err));
      const timer = setTimeout(
        () => fail(new BootlineError('SMPP_TIMEOUT', `no ${pdu.command}_resp within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.add(fail);
      const sent = this.send(s, pdu, (resp) => done(() => resolve(resp)));
      if (!sent) fail(new BootlineError('SMPP_NOT_CONNECTED', 'socket not writable'));
    });
  }

  /** Every PDU of this bind goes out corked per event-loop turn (cork.ts). */
  private send(s: smpp.Session, pdu: smpp.PDU, cb?: (resp: smpp.PDU) => void): boolean {
    return sendCorked(this.cork, s, pdu, cb);
  }

  /** Unbinds politely (bounded), then closes; no reconnects after. */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers.splice(0)) clearTimeout(t);
    const s = this.session;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => s.destroy(() => resolve()), Math.min(2_000, this.o.responseTimeoutMs));
      const closeNow = () =>
        s.close(() => {
          clearTimeout(t);
          resolve();
        });
      if (!this.bound || !s.send(new smpp.PDU('unbind', {}), closeNow)) closeNow();
    });
  }
}
