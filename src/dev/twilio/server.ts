import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { Logger } from '../../platform/logger.js';
import { safeEqual } from '../../platform/seal.js';
import { callResource, twilioErrorBody, type CallDriver, type StandInCall } from './calls.js';
import { closeServer, listenLoopback } from '../../platform/http/loopback.js';

const CALL_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Calls\/(CA[0-9a-fA-F]{32})\.json$/;
const DEV_NEXT = /^\/dev\/calls\/(CA[0-9a-fA-F]{32})\/next$/;

/** Switches for rehearsing Twilio failures: the next update(s) fail with this status and code. */
export interface TwilioStandInFaults {
  fail?: { status: number; code: number; message: string; times?: number } | null;
}

/**
 * A stand-in for the one piece of Twilio's REST API bootline calls: Calls update
 * (POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json with Url/Method, or Status=completed).
 * A real HTTP server with Twilio's HTTP Basic auth (Account SID and Auth Token) and Twilio's
 * error bodies (20003 auth, 20404 unknown call, 21220 call not in progress). Calls it knows
 * are driven to the new URL: a simulator in this process (`attach`), or, in the dev stack, a
 * `bootline call` in another process that registered (POST /dev/calls) and polls
 * GET /dev/calls/{CA}/next.
 */
export class TwilioStandIn {
  readonly calls = new Map<string, StandInCall>();
  /** Update requests that passed auth, with the call they named. */
  readonly updates: { callSid: string; params: Record<string, string> }[] = [];
  faults: TwilioStandInFaults = {};
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly o: { accountSid: string; authToken: string; logger: Logger }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch(() => res.writeHead(500).end());
    });
    this.port = await listenLoopback(this.server, port);
    return this.url;
  }

  /**
   * A live call this process drives
   * (tests: `{ redirect: (url, method, fallbackUrl) => sim.redirectTo(url, fallbackUrl) }`).
   */
  attach(callSid: string, driver: CallDriver | null): StandInCall {
    const call: StandInCall = { sid: callSid, status: 'in-progress', driver, inbox: [], last: Promise.resolve() };
    this.calls.set(callSid, call);
    return call;
  }

  /** The call hung up (Twilio then refuses to redirect it). */
  hangup(callSid: string): void {
    const c = this.calls.get(callSid);
    if (c) c.status = 'completed';
  }

  /** Resolves once the last redirect of this call has been played to its driver. */
  async settled(callSid: string): Promise<unknown> {
    return this.calls.get(callSid)?.last;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: object | null) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(body ? JSON.stringify(body) : undefined);
    };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = parseForm(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
    const path = (req.url ?? '').split('?')[0]!;
    const dev = this.dev(req.method ?? '', path, form);
    if (dev) return send(dev.status, dev.body);
    const m = CALL_PATH.exec(path);
    if (!m) return send(404, twilioErrorBody(404, 20404, `The requested resource ${path} was not found`));
    if (!this.authorized(req.headers.authorization, m[1]!))
      return send(401, twilioErrorBody(401, 20003, 'Authenticate'));
    const call = this.calls.get(m[2]!);
    if (!call) return send(404, twilioErrorBody(404, 20404, `The requested resource ${path} was not found`));
    if (req.method === 'GET') return send(200, callResource(m[1]!, call));
    if (req.method !== 'POST') return send(405, twilioErrorBody(405, 20004, 'Method not allowed'));
    this.updates.push({ callSid: call.sid, params: form });
    const fail = this.faults.fail;
    if (fail) {
      if (fail.times !== undefined && --fail.times <= 0) this.faults.fail = null;
      return send(fail.status, twilioErrorBody(fail.status, fail.code, fail.message));
    }
    return this.update(call, form, m[1]!, send);
  }

  private update(
    call: StandInCall,
    form: Record<string, string>,
    account: string,
    send: (s: number, b: object) => void,
  ): void {
    if (call.status !== 'in-progress')
      return send(400, twilioErrorBody(400, 21220, 'Call is not in-progress. Cannot redirect.'));
    if (form.Status === 'completed' || form.Status === 'canceled') {
      call.status = 'completed';
      return send(200, callResource(account, call));
    }
    if (!form.Url || !/^https?:\/\//.test(form.Url))
      return send(400, twilioErrorBody(400, 21205, 'Url is not a valid URL'));
    if (form.FallbackUrl !== undefined && !/^https?:\/\//.test(form.FallbackUrl))
      return send(400, twilioErrorBody(400, 21205, 'FallbackUrl is not a valid URL'));
    const method = (form.Method ?? 'POST').toUpperCase();
    const fallback = form.FallbackUrl ? { fallbackUrl: form.FallbackUrl } : {};
    send(200, callResource(account, call));
    this.o.logger.info({ callSid: call.sid, path: new URL(form.Url).pathname }, 'twilio stand-in: redirecting call');
    // Twilio answers the update, then fetches the new TwiML for the call: so do we.
    if (call.driver) call.last = call.driver.redirect(form.Url, method, form.FallbackUrl).catch((err: Error) => err);
    else call.inbox.push({ url: form.Url, method, ...fallback });
  }

  /** Dev-only endpoints a `bootline call` in another process uses to take part. */
  private dev(
    method: string,
    path: string,
    form: Record<string, string>,
  ): { status: number; body: object | null } | null {
    if (method === 'POST' && path === '/dev/calls') {
      if (!/^CA[0-9a-fA-F]{32}$/.test(form.CallSid ?? '')) return { status: 400, body: { error: 'CallSid required' } };
      this.attach(form.CallSid!, null);
      return { status: 201, body: { sid: form.CallSid } };
    }
    const m = DEV_NEXT.exec(path);
    if (!m) return null;
    const call = this.calls.get(m[1]!);
    if (!call) return { status: 404, body: { error: 'unknown call' } };
    if (method === 'DELETE') {
      call.status = 'completed';
      return { status: 204, body: null };
    }
    const next = call.inbox.shift();
    return next ? { status: 200, body: next } : { status: 204, body: null };
  }

  private authorized(header: string | undefined, pathAccount: string): boolean {
    const [scheme, value = ''] = (header ?? '').split(' ', 2);
    if (!/^basic$/i.test(scheme ?? '')) return false;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.slice(0, decoded.indexOf(':'));
    const pass = decoded.slice(decoded.indexOf(':') + 1);
    const ok = safeEqual(user, this.o.accountSid) && safeEqual(pass, this.o.authToken);
    return ok && pathAccount === this.o.accountSid;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = null;
  }
}
