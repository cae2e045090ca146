import { EventEmitter } from 'node:events';
import type smpp from 'smpp';
import type { SmppTarget, SmppTransportConfig } from '../config/config.js';
import { BootlineError, isBootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import { parseReceipt, type DeliveryReceipt } from './receipt.js';
import { SmppBind, type BindType } from './bind.js';
import type { SubmitFields } from '../codec/sms/submit-fields.js';

export type { SubmitFields } from '../codec/sms/submit-fields.js';

export interface SmppClientOptions extends Partial<SmppTransportConfig> {
  readonly target: SmppTarget;
  readonly logger: Logger;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** How long a bind rests after ESME_RTHROTTLED / ESME_RMSGQFUL before it sends again. */
  readonly throttlePauseMs?: number;
  /** Throttled submits re-sent by the transport itself before SMPP_THROTTLED reaches the caller. */
  readonly throttleRetries?: number;
  /**
   * Persists a delivery receipt; the deliver_sm is answered only once it resolves, so a
   * receipt is never lost to a crash (a rejection answers ESME_RX_T_APPN: re-deliver later).
   */
  readonly onReceipt?: (r: DeliveryReceipt) => Promise<void>;
}

/** Times one submit may move to another bind after its session failed under it. */
const MOVES = 2;

export interface SmppClientStatus {
  readonly binds: number;
  readonly bound: number;
  readonly inFlight: number;
}

/**
 * The SMPP transport: several binds to one SMSC (transceivers, or transmitters plus one
 * receiver), each with its own window and TPS cap. A submit goes to the least-loaded bound
 * transmitter. Throttling slows the bind down and re-sends (a throttled submit_sm was not
 * accepted, so re-sending cannot duplicate it); only persistent throttling reaches the caller.
 */
export class SmppClient extends EventEmitter<{ receipt: [DeliveryReceipt]; bound: []; unbound: [] }> {
  private readonly binds: SmppBind[];
  private readonly o: Required<Omit<SmppClientOptions, 'onReceipt' | 'target' | 'logger'>> & SmppClientOptions;

  constructor(opts: SmppClientOptions) {
    super();
    this.o = {
      binds: 1,
      bindMode: 'transceiver',
      window: 10,
      tps: 0,
      responseTimeoutMs: 10_000,
      enquireLinkMs: 30_000,
      reconnectMinMs: 250,
      reconnectMaxMs: 10_000,
      throttlePauseMs: 1_000,
      throttleRetries: 3,
      ...opts,
    };
    const types: BindType[] =
      this.o.bindMode === 'transceiver'
        ? Array<BindType>(this.o.binds).fill('transceiver')
        : [...Array<BindType>(this.o.binds).fill('transmitter'), 'receiver'];
    this.binds = types.map((type) => {
      const b = new SmppBind({ ...this.o, type, onDeliver: (pdu) => this.onDeliver(pdu) });
      b.on('bound', () => this.emit('bound'));
      b.on('unbound', () => this.emit('unbound'));
      return b;
    });
  }

  private get transmitters(): SmppBind[] {
    return this.binds.filter((b) => b.type !== 'receiver');
  }

  get isBound(): boolean {
    return this.transmitters.some((b) => b.isBound);
  }

  status(): SmppClientStatus {
    const tx = this.transmitters;
    return {
      binds: tx.length,
      bound: tx.filter((b) => b.isBound).length,
      inFlight: tx.reduce((n, b) => n + b.window.inFlight, 0),
    };
  }

  start(): void {
    for (const b of this.binds) b.start();
  }

  private async onDeliver(pdu: smpp.PDU): Promise<void> {
    const r = parseReceipt(pdu as unknown as Record<string, unknown>);
    if (!r) return;
    await this.o.onReceipt?.(r);
    this.emit('receipt', r);
  }

  /** Resolves when a transmitter is bound, or rejects with SMPP_NOT_CONNECTED after `timeoutMs`. */
  async waitBound(timeoutMs: number): Promise<void> {
    if (this.isBound) return;
    await new Promise<void>((resolve, reject) => {
      const ok = () => {
        if (this.isBound) {
          clearTimeout(t);
          this.off('bound', ok);
          resolve();
        }
      };
      const t = setTimeout(() => {
        this.off('bound', ok);
        reject(new BootlineError('SMPP_NOT_CONNECTED', 'no SMPP bind to the SMSC'));
      }, timeoutMs);
      this.on('bound', ok);
    });
  }

  /**
   * Submits on the least-loaded healthy bind. A throttled submit (not accepted) is re-sent
   * after a pause. A submit whose session failed under it — unanswered (the bind retires that
   * session) or cut off — moves to a healthy bind, the fresh one if it was the only one, as
   * a retry of the job would, only sooner: `MOVES` times, then the error reaches the caller.
   */
  async submit(fields: SubmitFields): Promise<{ messageId: string }> {
    let throttled = 0;
    let moved = 0;
    for (;;) {
      await this.waitBound(this.o.responseTimeoutMs);
      const bind = this.pick();
      try {
        return await bind.submit(fields);
      } catch (err) {
        if (isBootlineError(err, 'SMPP_THROTTLED') && throttled < this.o.throttleRetries) {
          throttled++;
          bind.pacer.pause(this.o.throttlePauseMs);
          this.o.logger.info({ pauseMs: this.o.throttlePauseMs, attempt: throttled }, 'smsc throttled; slowing down');
          continue;
        }
        if ((isBootlineError(err, 'SMPP_TIMEOUT') || isBootlineError(err, 'SMPP_NOT_CONNECTED')) && moved < MOVES) {
          moved++;
          this.o.logger.info({ code: err.code, moves: moved }, 'submit moves to a healthy bind');
          continue;
        }
        throw err;
      }
    }
  }

  private pick(): SmppBind {
    const bound = this.transmitters.filter((b) => b.isBound);
    return bound.reduce((best, b) => (b.load < best.load ? b : best), bound[0]!);
  }

  async close(): Promise<void> {
    await Promise.all(this.binds.map((b) => b.close()));
  }
}
