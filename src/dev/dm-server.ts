import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../platform/logger.js';
import type { Registration } from '../dm/register-client.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../dm/signature.js';
import { closeServer, listenLoopback } from '../platform/http/loopback.js';
import { isE164 } from '../platform/e164.js';
import { answerSession, type EndpointAnswer, type SessionRecord } from './dm-stand-in/endpoint.js';
import { SessionAuthority } from './dm-stand-in/sessions.js';
import { SignalSender, type SentSignal } from './dm-stand-in/signal.js';

/** Switches for rehearsing DM-server incidents (tests flip them; the dev stack too). */
export interface DmStandInFaults {
  /** Refuse every registration with this status and reason (e.g. 422 "unknown device"). */
  reject?: { status: number; reason: string } | null;
  /** Answer 503 to this many requests, then work again. */
  unavailable?: number;
}

export interface DmStandInOptions {
  readonly secret: string;
  readonly logger: Logger;
  /** The registration endpoint's path (default /dm/register). */
  readonly path?: string;
  /** Where devices open DM sessions (default /dm: the path of the dev DM_SERVER_URL). */
  readonly sessionPath?: string;
  /** bootline's base URL, for the enrolment signal (settable later as `bootlineUrl`). */
  readonly bootlineUrl?: string;
  /** The ServerID named in signals about clients it cannot match to a registration. */
  readonly serverId?: string;
  /** First retry delay of a signal bootline did not take (default 200 ms). */
  readonly signalRetryMs?: number;
}

/**
 * A stand-in for the DM server: a real HTTP server on loopback.
 *  - Registration (`POST /dm/register`): checks the HMAC signature and timestamp, validates
 *    the body, keeps what it accepted. A repeat of the same registration is accepted again
 *    (the worker retries); other credentials for a known bootstrap are refused (409).
 *  - Sessions (`POST /dm`, SyncML DM 1.2 in WBXML or XML): authenticates a device's Package 1
 *    against the registered credentials, answers Package 2, and posts the enrolment signal to
 *    bootline (`session-started`, or `auth-failed` with a cause) — dm-stand-in/.
 * `npm start` runs it when DM_REGISTER_URL is unset.
 */
export class DmStandIn {
  readonly registrations = new Map<string, Registration>();
  /** Requests that passed the signature check, accepted or not. */
  requests = 0;
  faults: DmStandInFaults = {};
  /** Every session package answered, newest last. */
  readonly sessions: SessionRecord[] = [];
  private readonly authority = new SessionAuthority((name) => this.byClientName(name));
  private readonly signaller: SignalSender;
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly o: DmStandInOptions) {
    this.signaller = new SignalSender({
      secret: o.secret,
      logger: o.logger,
      ...(o.bootlineUrl ? { bootlineUrl: o.bootlineUrl } : {}),
      ...(o.signalRetryMs !== undefined ? { retryMs: o.signalRetryMs } : {}),
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.o.path ?? '/dm/register'}`;
  }

  /** The session endpoint, where a device's DM client posts Package 1. */
  get sessionUrl(): string {
    return `http://127.0.0.1:${this.port}${this.o.sessionPath ?? '/dm'}`;
  }

  /** The loopback host:port, for a handset's test DNS. */
  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  set bootlineUrl(url: string | undefined) {
    this.signaller.bootlineUrl = url;
  }

  /** Enrolment signals sent to bootline (with bootline's answer), oldest first. */
  get signals(): readonly SentSignal[] {
    return this.signaller.sent;
  }

  /** Resolves when every enrolment signal so far has been delivered or given up on. */
  signalsIdle(): Promise<void> {
    return this.signaller.idle();
  }

  /** A stand-in serves one DM server: the ServerID its registrations name. */
  private anyServerId(): string | undefined {
    for (const r of this.registrations.values()) return r.serverId;
    return undefined;
  }

  /** The registration whose APPSRV credentials carry this AAUTHNAME (newest first). */
  byClientName(name: string): Registration | undefined {
    let found: Registration | undefined;
    for (const r of this.registrations.values())
      if (r.appAuth.some((a) => a.AAUTHLEVEL === 'APPSRV' && a.AAUTHNAME === name)) found = r;
    return found;
  }

  async listen(port = 0): Promise<string> {
    // The body is read with plain events: an async iterator per request was a visible share
    // of the benchmark's peers process (which shares the box with the worker it measures).
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        if (req.method === 'POST' && req.url === (this.o.sessionPath ?? '/dm')) return this.session(req, res, raw);
        this.handle(req, res, raw.toString('utf8'));
      });
    });
    this.port = await listenLoopback(this.server, port);
    return this.url;
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== (this.o.path ?? '/dm/register'))
      return answer(404, { error: 'not found' });
    const headers = {
      timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
      signature: req.headers[SIGNATURE_HEADER] as string | undefined,
    };
    if (!verifyBody(this.o.secret, headers, body)) return answer(401, { error: 'bad signature' });
    this.requests++;
    if ((this.faults.unavailable ?? 0) > 0) {
      this.faults.unavailable!--;
      return answer(503, { error: 'temporarily unavailable' });
    }
    if (this.faults.reject) return answer(this.faults.reject.status, { error: this.faults.reject.reason });
    const reg = parse(body);
    if (!reg) return answer(400, { error: 'registration body is malformed' });
    const known = this.registrations.get(reg.bootstrapId);
    if (known && JSON.stringify(known) !== JSON.stringify(reg))
      return answer(409, { error: 'bootstrap already registered with other credentials' });
    this.registrations.set(reg.bootstrapId, reg);
    if (this.o.logger.isLevelEnabled('info'))
      this.o.logger.info(
        { bootstrapId: reg.bootstrapId, clientName: reg.appAuth[0]?.AAUTHNAME },
        'dm stand-in registered device',
      );
    answer(known ? 200 : 201, { registered: reg.bootstrapId });
  }

  private session(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    let answer: EndpointAnswer;
    try {
      answer = answerSession(this.authority, req, body);
    } catch (err) {
      this.o.logger.error({ err: (err as Error).message }, 'dm stand-in: session failed');
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal error' }));
      return;
    }
    const { record, status, headers, reply, outcome } = answer;
    this.sessions.push(record);
    res.writeHead(status, headers).end(reply);
    if (this.o.logger.isLevelEnabled('info'))
      this.o.logger.info(
        { clientName: record.clientName, status: record.status, cause: record.cause },
        record.status === 212 ? 'dm stand-in: device authenticated' : 'dm stand-in: session refused',
      );
    if (outcome)
      void this.signaller.send({
        serverId: outcome.serverId ?? this.o.serverId ?? this.anyServerId() ?? record.target ?? '',
        clientName: outcome.clientName,
        event: outcome.event,
        at: record.at,
        ...(outcome.cause ? { cause: outcome.cause } : {}),
      });
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = null;
  }
}

function parse(body: string): Registration | null {
  try {
    const r = JSON.parse(body) as Registration;
    const authOk =
      Array.isArray(r.appAuth) &&
      r.appAuth.length === 2 &&
      r.appAuth.every(
        (a) => a.AAUTHNAME && a.AAUTHSECRET && a.AAUTHDATA && ['APPSRV', 'CLIENT'].includes(a.AAUTHLEVEL),
      );
    return typeof r.bootstrapId === 'string' && isE164(r.msisdn) && typeof r.serverId === 'string' && authOk ? r : null;
  } catch {
    return null;
  }
}
