import type { Logger } from '../../platform/logger.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../dm/signature.js';

/**
 * The enrolment signal a DM server sends bootline after a device's first session
 * (docs/reference/dm-server.md "Session signal"): `POST <bootline>/api/dm/sessions`, signed
 * like bootline's registrations to the DM server (HMAC-SHA256 over `<timestamp>.<raw body>`
 * with DM_REGISTER_SECRET).
 */
export interface EnrolmentSignal {
  readonly serverId: string;
  readonly clientName: string;
  readonly event: 'session-started' | 'auth-failed';
  /** ISO 8601 time of the session. */
  readonly at: string;
  readonly cause?: string;
}

export const SIGNAL_PATH = '/api/dm/sessions';

export interface SentSignal {
  readonly signal: EnrolmentSignal;
  /** bootline's HTTP status, or 0 when it could not be reached. */
  readonly status: number;
  readonly attempts: number;
}

/** Answers worth another try: no answer, 408, 429, 5xx. */
const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

/** Posts signals one by one with a few retries; keeps what happened for tests and the logs. */
export class SignalSender {
  readonly sent: SentSignal[] = [];
  /** bootline's base URL (e.g. http://127.0.0.1:3000); signals are dropped (and logged) while unset. */
  bootlineUrl: string | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: { secret: string; logger: Logger; bootlineUrl?: string; retryMs?: number }) {
    this.bootlineUrl = o.bootlineUrl;
  }

  /** Queues the signal; resolves once it was delivered or given up on. */
  send(signal: EnrolmentSignal): Promise<void> {
    this.queue = this.queue.then(() => this.deliver(signal));
    return this.queue;
  }

  /** Resolves when every signal queued so far was delivered or given up on. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async deliver(signal: EnrolmentSignal): Promise<void> {
    const base = this.bootlineUrl;
    if (!base) {
      this.o.logger.warn({ event: signal.event }, 'dm stand-in: no bootline URL, enrolment signal not sent');
      return;
    }
    let status = 0;
    let attempts = 0;
    for (const wait of [0, this.o.retryMs ?? 200, (this.o.retryMs ?? 200) * 5]) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      attempts++;
      status = await this.post(base.replace(/\/+$/, '') + SIGNAL_PATH, signal);
      if (!retryable(status)) break;
    }
    this.sent.push({ signal, status, attempts });
    const log = { event: signal.event, clientName: signal.clientName, cause: signal.cause, status, attempts };
    if (status >= 200 && status < 300) this.o.logger.info(log, 'dm stand-in: enrolment signal accepted by bootline');
    else this.o.logger.warn(log, 'dm stand-in: bootline did not accept the enrolment signal');
  }

  private async post(url: string, signal: EnrolmentSignal): Promise<number> {
    const body = JSON.stringify(signal);
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: signBody(this.o.secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }
}
