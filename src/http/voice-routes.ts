import { parse as parseForm } from 'node:querystring';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import twilio from 'twilio';
import type { Logger } from '../lib/logger.js';
import { webhookRefusals } from '../security/metrics.js';
import { ReplayGuard, type Claim } from '../security/replay.js';
import type { CallParams, VoiceEngine } from '../voice/engine.js';
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

const FORM_LIMIT = 16 * 1024;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Twilio's webhook body: a small UTF-8 form, never compressed. Read and parsed here rather
 * than with body-parser, which costs a webhook ~15% of its throughput for features Twilio
 * never sends (content encodings, charsets); the limits are the same (16 kB, 200 fields).
 * Repeated fields become arrays, as with body-parser, and are then refused as odd values.
 */
function twilioForm(): RequestHandler {
  return (req, res, next) => {
    if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) { req.body = {}; next(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= FORM_LIMIT) chunks.push(c);
      else if (!res.headersSent) res.status(413).set('Connection', 'close').type('text/plain').send('request body too large\n');
    });
    req.on('end', () => {
      if (size > FORM_LIMIT) return;
      req.body = parseForm(Buffer.concat(chunks).toString('utf8'), '&', '=', { maxKeys: 200 });
      next();
    });
    req.on('error', next);
  };
}

export function voiceRoutes(deps: VoiceRouteDeps): Router {
  const router = Router();
  router.use(twilioForm());
  router.use(requireTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl }));

  const replay = deps.engine.replay;
  const twiml = (run: (p: CallParams, req: Request) => Promise<string>) => async (req: Request, res: Response) => {
    const params = callParams(req);
    if (!params) {
      res.status(400).type('text/plain').send('CallSid missing or malformed\n');
      return;
    }
    const id = requestIdentity(req);
    const claim: Claim = await replay.claim(params.callSid, id).catch(() => ({ kind: 'fresh' }) as const);
    if (claim.kind !== 'fresh') { answerReplay(req, res, claim); return; }
    let body: string;
    try {
      body = await run(params, req);
      await replay.answered(params.callSid, id, body).catch(() => undefined);
    } catch (err) {
      deps.logger.error({ err: summarize(err), callSid: params.callSid, path: req.path }, 'voice webhook failed; apologising');
      await replay.release(params.callSid, id).catch(() => undefined);
      body = await safeFallback(params);
    }
    res.type('text/xml').send(body);
  };

  /**
   * A call that is over gets 410 with the reason. A duplicate gets the first copy's answer;
   * if that is still being made, it is sent back round (Redirect to the same signed URL).
   */
  const answerReplay = (req: Request, res: Response, claim: Exclude<Claim, { kind: 'fresh' }>) => {
    webhookRefusals.inc({ reason: claim.kind });
    if (claim.kind === 'ended') { res.status(410).type('text/plain').send('CALL_ENDED: this call is over\n'); return; }
    if (claim.answer) { res.type('text/xml').send(claim.answer); return; }
    const again = new twilio.twiml.VoiceResponse();
    again.pause({ length: 1 });
    again.redirect({ method: 'POST' }, deps.publicBaseUrl + req.originalUrl);
    res.type('text/xml').send(again.toString());
  };

  /** The flow's apology and error route when possible, else the built-in apology: never a 5xx. */
  const safeFallback = async (params: CallParams | null): Promise<string> => {
    if (!params) return apologyTwiml();
    try {
      return (await deps.engine.fallback(params)) ?? apologyTwiml();
    } catch (err) {
      deps.logger.error({ err: summarize(err), callSid: params.callSid }, 'fallback failed; built-in apology');
      return apologyTwiml();
    }
  };

  router.post('/incoming', twiml((p, req) => deps.engine.incoming(p, typeof req.query.flow === 'string' ? req.query.flow : deps.defaultFlowId)));
  router.post('/input', twiml((p, req) => deps.engine.input(p, typeof req.query.step === 'string' ? req.query.step : '', turnOf(req))));
  router.post('/fallback', async (req, res) => { res.type('text/xml').send(await safeFallback(callParams(req))); });
  router.post('/status', async (req, res) => {
    const params = callParams(req);
    if (!params) { res.status(400).type('text/plain').send('CallSid missing or malformed\n'); return; }
    const status = field(req.body as Record<string, unknown>, 'CallStatus') ?? '';
    if (ENDED.has(status)) await deps.engine.ended(params.callSid).catch((err: unknown) => deps.logger.warn({ err: summarize(err) }, 'call cleanup failed'));
    res.status(204).end();
  });
  return router;
}

/** The `t` of an action URL (signed with it), when present and well formed. */
function turnOf(req: Request): number | undefined {
  const t = req.query.t;
  return typeof t === 'string' && /^\d{1,6}$/.test(t) ? Number(t) : undefined;
}

/** What makes this webhook one request: Twilio's idempotency token, else step and turn. */
function requestIdentity(req: Request): string | null {
  const token = req.headers['i-twilio-idempotency-token'];
  const step = req.path === '/input' && typeof req.query.step === 'string' ? req.query.step : undefined;
  return ReplayGuard.identity(typeof token === 'string' ? token : undefined, step, turnOf(req));
}

/** Error summary for logs: code and message only, never request bodies. */
export function summarize(err: unknown): { code?: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  return { ...(typeof e?.code === 'string' ? { code: e.code } : {}), message: typeof e?.message === 'string' ? e.message : String(err) };
}
