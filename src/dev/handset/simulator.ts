import { EventEmitter } from 'node:events';
import {
  bootstrapAccount,
  needsUserInput,
  readBootstrapPush,
  verifyBootstrap,
  type ReceivedBootstrap,
} from '../../codec/dm-session/index.js';
import type { Logger } from '../../platform/logger.js';
import type { DevSmsc } from '../smsc/server.js';
import type { ReceivedSubmit } from '../smsc/pdu.js';
import { SegmentAssembler } from './assembler.js';
import { runSession } from './dm-client.js';
import { Journal, tampered } from './journal.js';
import { type HandsetEvent, type HandsetOutcome, outcomeOf } from './outcome.js';
import { Phone, type StoredAccount } from './phone.js';
import { testDns } from './test-dns.js';

export type { HandsetEvent, HandsetOutcome } from './outcome.js';

export interface HandsetOptions {
  readonly logger: Logger;
  /** The IMSI on the SIM of a number (NETWPIN, USERNETWPIN): the subscriber stand-in's mapping in dev. */
  readonly imsiOf: (msisdn: string) => string | undefined;
  /** A test DNS: DM server host name → the loopback host:port reached instead, over plain HTTP. */
  readonly hosts?: Record<string, string>;
  /** Wrong PINs a handset takes before it throws the push away (default 3). */
  readonly pinAttempts?: number;
  readonly sessionTimeoutMs?: number;
}

/**
 * Simulated handsets for every number the dev SMSC delivers to: each reassembles its WAP Push
 * segments, checks the MAC as the SEC method requires (asking for the PIN through enterPin),
 * stores the DM account the Bootstrap Message carries and opens its first DM session.
 * A handset that cannot verify a push discards it silently, as a real one does; here the
 * reason is kept in `events` (and the logs) so a developer can see why.
 */
export class HandsetSimulator extends EventEmitter<{ change: [] }> {
  private readonly journal: Journal;
  hosts: Record<string, string>;
  private readonly phones = new Map<string, Phone>();
  private readonly assembler = new SegmentAssembler();
  /** Counts outcomes, so a PIN entered now is not answered with an older outcome. */
  private seq = 0;

  constructor(private readonly o: HandsetOptions) {
    super();
    this.hosts = { ...o.hosts };
    this.journal = new Journal(o.logger);
  }

  /** What the handsets did, oldest first (numbers masked). */
  get events(): readonly HandsetEvent[] {
    return this.journal.events;
  }

  /** Listens to what the SMSC accepts from now on; returns the detach function. */
  attach(smsc: DevSmsc): () => void {
    const on = (sm: ReceivedSubmit) => this.receive(sm);
    smsc.on('submit', on);
    return () => smsc.off('submit', on);
  }

  phone(msisdn: string): Phone {
    const key = '+' + msisdn.replace(/\D/g, '');
    let p = this.phones.get(key);
    if (!p) this.phones.set(key, (p = new Phone(key)));
    return p;
  }

  /** The phones that have received a push, newest pending first. */
  get all(): readonly Phone[] {
    return [...this.phones.values()].sort((a, b) => (b.pending?.at ?? 0) - (a.pending?.at ?? 0));
  }

  receive(sm: ReceivedSubmit): void {
    const done = this.assembler.add(sm);
    if (!done) return;
    const phone = this.phone(done.msisdn);
    const wsp = phone.faults.tamper ? tampered(done.wsp) : done.wsp;
    phone.faults.tamper = false;
    let push: ReceivedBootstrap;
    try {
      push = readBootstrapPush(wsp);
    } catch (err) {
      this.settle(phone, { outcome: 'push-discarded', reason: (err as Error).message });
      return;
    }
    const detail = { sec: push.sec, profile: push.profile, segments: done.segments };
    this.journal.note(phone, 'push-received', detail);
    if (!needsUserInput(push.sec)) {
      void this.accept(phone, push, undefined);
      return;
    }
    phone.pending = { push, at: Date.now(), attempts: 0 };
    this.emit('change');
  }

  /**
   * The user types the PIN (or the USERPINMAC code) the caller heard: for `msisdn`, or for the
   * phone whose push arrived last. Waits up to `waitMs` for a push to arrive; a NETWPIN push
   * needs no PIN, so its outcome is returned instead when it comes first.
   */
  async enterPin(typed: string, opts: { msisdn?: string; waitMs?: number } = {}): Promise<HandsetOutcome> {
    const since = this.seq;
    const deadline = Date.now() + (opts.waitMs ?? 30_000);
    for (;;) {
      const phone = opts.msisdn ? this.phone(opts.msisdn) : this.all.find((p) => p.pending);
      if (phone?.pending) return this.tryPin(phone, typed);
      const recent = (opts.msisdn ? [this.phone(opts.msisdn)] : this.all).find((p) => p.last && p.last.seq > since);
      if (recent?.last) return recent.last.outcome;
      if (!(await this.changeBefore(deadline)))
        return outcomeOf(opts.msisdn ?? '', { outcome: 'no-push', reason: 'no Bootstrap Message arrived in time' });
    }
  }

  private changeBefore(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.off('change', onChange);
        resolve(v);
      };
      const onChange = () => done(true);
      this.on('change', onChange);
    });
  }

  private async tryPin(phone: Phone, typed: string): Promise<HandsetOutcome> {
    const pending = phone.pending!;
    const imsi = this.o.imsiOf(phone.msisdn);
    if (verifyBootstrap(pending.push, { typed, ...(imsi ? { imsi } : {}) })) {
      phone.pending = undefined;
      return this.accept(phone, pending.push, typed);
    }
    const left = (this.o.pinAttempts ?? 3) - ++pending.attempts;
    if (left <= 0) phone.pending = undefined;
    return this.settle(phone, {
      outcome: 'pin-refused',
      reason: 'the MAC does not verify with this PIN (a wrong PIN, or a message altered on the way)',
      sec: pending.push.sec,
      attemptsLeft: Math.max(0, left),
    });
  }

  /** A verified push (or NETWPIN, checked here): store the account, open the session. */
  private async accept(phone: Phone, push: ReceivedBootstrap, typed: string | undefined): Promise<HandsetOutcome> {
    const imsi = this.o.imsiOf(phone.msisdn);
    if (typed === undefined && !verifyBootstrap(push, imsi ? { imsi } : {})) {
      const reason = imsi ? "the MAC does not verify with the SIM's IMSI" : 'no IMSI on this SIM';
      return this.settle(phone, { outcome: 'push-discarded', reason, sec: push.sec });
    }
    let stored: StoredAccount;
    try {
      stored = phone.store(bootstrapAccount(push));
    } catch (err) {
      return this.settle(phone, { outcome: 'document-invalid', reason: (err as Error).message, sec: push.sec });
    }
    const a = stored.account;
    this.journal.note(phone, 'account-stored', {
      serverId: a.serverId,
      addr: a.addr,
      aauthPref: a.aauthPref,
      sec: push.sec,
    });
    const r = await runSession({
      stored,
      devInfo: phone.devInfo,
      sessionId: phone.nextSessionId(),
      resolve: (url) => testDns(url, this.hosts),
      wrongSecret: phone.faults.wrongSecret === true,
      ...(this.o.sessionTimeoutMs ? { timeoutMs: this.o.sessionTimeoutMs } : {}),
    });
    return this.settle(phone, { ...r, serverId: a.serverId, sec: push.sec, profile: a.profile });
  }

  private settle(phone: Phone, o: Omit<HandsetOutcome, 'msisdn' | 'at'>): HandsetOutcome {
    const outcome = outcomeOf(phone.msisdn, o);
    phone.last = { outcome, seq: ++this.seq };
    this.journal.note(phone, outcome.outcome, { ...o, outcome: undefined });
    this.emit('change');
    return outcome;
  }
}
