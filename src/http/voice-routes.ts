import type { Request, RequestHandler, Response } from 'express';
import twilio from 'twilio';
import type { Logger } from '../lib/logger.js';
import { webhookRefusals } from '../security/metrics.js';
import { ReplayGuard } from '../security/replay.js';
import type { Refused } from '../voice/call-ledger.js';
import type { CallParams, Reply, VoiceEngine } from '../voice/engine.js';
import { twilioForm } from './twilio-form.js';
import { requireTwilioSignature } from './twilio-signature.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Valid TwiML the caller hears when anything on our side fails: never a 5xx to Twilio. */
export function apologyTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say({ voice: 'Polly.Joanna', language: 'en-US' }, 'Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.');
  r.hangup();
  return r.toString();
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads what the engine needs; a missing/odd CallSid is a bad request, odd Digits are just invalid keys. */
function callParams(req: Request): CallParams | null {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const callSid = field(body, 'CallSid');
  if (!callSid || !CALL_SID.test(callSid)) return null;
  const digits = body.Digits === undefined ? '' : (field(body, 'Digits') ?? '!');
  const transferResult = field(body, 'DialCallStatus') ?? field(body, 'QueueResult');
  const stirVerstat = field(body, 'StirVerstat');
  return {
    callSid, from: field(body, 'From'), digits: digits.slice(0, 64),
    ...(stirVerstat ? { stirVerstat } : {}), ...(transferResult ? { transferResult } : {}),
  };
}

export interface VoiceRouteDeps {
  readonly engine: VoiceEngine;
  readonly logger: Logger;
  readonly authToken: string;
  readonly publicBaseUrl: string;
  readonly defaultFlowId: string;
}

type Route = (req: Request, res: Response) => Promise<void>;

/**
 * Twilio's webhooks under /voice: one handler mounted first in the app (at the root, so
 * Express does not rewrite the URL for a mount path), dispatching on the path itself. A webhook is the hot path of every call, so it skips the layers meant for
 * browsers and API clients (npm run bench: each Express layer costs every call).
 */
export function voiceRoutes(deps: VoiceRouteDeps): RequestHandler {
  const form = twilioForm();
  const signed = requireTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl });
  const fallback = safeFallback(deps);
  const twiml = (run: (p: CallParams, q: Query, id: string | null) => Promise<Reply>): Route => async (req, res) => {
    const params = callParams(req);
    if (!params) { res.status(400).type('text/plain').send('CallSid missing or malformed\n'); return; }
    const q = req.query; // Express 5 parses the query string on every read of req.query
    const id = requestIdentity(req, q);
    const reply = await run(params, q, id).catch(async (err: unknown): Promise<Reply> => {
      deps.logger.error({ err: summarize(err), callSid: params.callSid, path: req.path }, 'voice webhook failed; apologising');
      await deps.engine.release(params.callSid, id).catch(() => undefined);
      return { kind: 'twiml', body: await fallback(params) };
    });
    if (reply.kind === 'twiml') sendTwiml(res, reply.body);
    else answerRefusal(req, res, reply, deps.publicBaseUrl);
  };
  const routes: Record<string, Route> = {
    '/voice/incoming': twiml((p, q, id) => deps.engine.incoming(p, typeof q.flow === 'string' ? q.flow : deps.defaultFlowId, id)),
    '/voice/input': twiml((p, q, id) => deps.engine.input(p, typeof q.step === 'string' ? q.step : '', turnOf(q), id)),
    '/voice/fallback': async (req, res) => { sendTwiml(res, await fallback(callParams(req))); },
    '/voice/status': async (req, res) => {
      const params = callParams(req);
      if (!params) { res.status(400).type('text/plain').send('CallSid missing or malformed\n'); return; }
      const status = field(req.body as Record<string, unknown>, 'CallStatus') ?? '';
      if (ENDED.has(status)) await deps.engine.ended(params.callSid).catch((err: unknown) => deps.logger.warn({ err: summarize(err) }, 'call cleanup failed'));
      res.status(204).end();
    },
  };
  return (req, res, next) => {
    const route = req.method === 'POST' ? routes[req.path] : undefined;
    if (!route) { next(); return; }
    req.log = deps.logger;
    form(req, res, (err?: unknown) => {
      if (err) { next(err); return; }
      signed(req, res, () => { route(req, res).catch(next); });
    });
  };
}

/** TwiML as Express's `res.type('text/xml').send()` would send it, without its per-call lookups. */
function sendTwiml(res: Response, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.end(body);
}

/**
 * A call that is over gets 410 with the reason. A duplicate gets the first copy's answer;
 * if that is still being made, it is sent back round (Redirect to the same signed URL).
 */
function answerRefusal(req: Request, res: Response, refused: Refused, publicBaseUrl: string): void {
  webhookRefusals.inc({ reason: refused.kind });
  if (refused.kind === 'ended') { res.status(410).type('text/plain').send('CALL_ENDED: this call is over\n'); return; }
  if (refused.answer) { sendTwiml(res, refused.answer); return; }
  const again = new twilio.twiml.VoiceResponse();
  again.pause({ length: 1 });
  again.redirect({ method: 'POST' }, publicBaseUrl + req.originalUrl);
  sendTwiml(res, again.toString());
}

/** The flow's apology and error route when possible, else the built-in apology: never a 5xx. */
function safeFallback(deps: VoiceRouteDeps): (params: CallParams | null) => Promise<string> {
  return async (params) => {
    if (!params) return apologyTwiml();
    try {
      return (await deps.engine.fallback(params)) ?? apologyTwiml();
    } catch (err) {
      deps.logger.error({ err: summarize(err), callSid: params.callSid }, 'fallback failed; built-in apology');
      return apologyTwiml();
    }
  };
}

type Query = Request['query'];

/** The `t` of an action URL (signed with it), when present and well formed. */
function turnOf(q: Query): number | undefined {
  const t = q.t;
  return typeof t === 'string' && /^\d{1,6}$/.test(t) ? Number(t) : undefined;
}

/** What makes this webhook one request: Twilio's idempotency token, else step and turn. */
function requestIdentity(req: Request, q: Query): string | null {
  const token = req.headers['i-twilio-idempotency-token'];
  const step = req.path === '/voice/input' && typeof q.step === 'string' ? q.step : undefined;
  return ReplayGuard.identity(typeof token === 'string' ? token : undefined, step, turnOf(q));
}

/** Error summary for logs: code and message only, never request bodies. */
export function summarize(err: unknown): { code?: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  return { ...(typeof e?.code === 'string' ? { code: e.code } : {}), message: typeof e?.message === 'string' ? e.message : String(err) };
}
