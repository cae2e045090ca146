import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../platform/logger.js';
import type { Registration } from '../dm/register-client.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../dm/signature.js';
import { closeServer, listenLoopback } from '../platform/http/loopback.js';
import { isE164 } from '../platform/e164.js';

/** Switches for rehearsing DM-server incidents (tests flip them; the dev stack too). */
export interface DmStandInFaults {
  /** Refuse every registration with this status and reason (e.g. 422 "unknown device"). */
  reject?: { status: number; reason: string } | null;
  /** Answer 503 to this many requests, then work again. */
  unavailable?: number;
}

/**
 * A stand-in for the DM server's registration endpoint: a real HTTP server that checks the
 * HMAC signature and timestamp, validates the body, and keeps what it accepted. A repeat
 * of the same registration is accepted again (the worker retries); other credentials for
 * a known bootstrap are refused (409). `npm start` runs it when DM_REGISTER_URL is unset.
 */
export class DmStandIn {
  readonly registrations = new Map<string, Registration>();
  /** Requests that passed the signature check, accepted or not. */
  requests = 0;
  faults: DmStandInFaults = {};
  private server: Server | null = null;
  private port = 0;

  constructor(
    private readonly o: {
      secret: string;
      logger: Logger;
      path?: string;
      /** bootline's enrolment signal endpoint (POST /api/dm/sessions), signed with the same secret. */
      sessionsUrl?: string;
    },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.o.path ?? '/dm/register'}`;
  }

  async listen(port = 0): Promise<string> {
    // The body is read with plain events: an async iterator per request was a visible share
    // of the benchmark's peers process (which shares the box with the worker it measures).
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        this.handle(
          req,
          res,
          chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
        ),
      );
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
