import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import twilio from 'twilio';
import type { Logger } from '../../platform/logger.js';
import { webhookRefusals } from '../../platform/metrics.js';
import type { Refused } from '../call-ledger.js';
import type { CallParams, Reply, VoiceEngine } from '../engine.js';
import { sendText, sendTwiml } from '../../platform/http/raw.js';
import { readTwilioForm } from '../../twilio/form.js';
import { callParams, field, requestIdentity, turnOf, type Webhook } from './webhook-params.js';
import { signatureRefused, twilioSignatureValid, type SignatureKeys } from '../../twilio/signature.js';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Valid TwiML the caller hears when anything on our side fails: never a 5xx to Twilio. */
export function apologyTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say(
    { voice: 'Polly.Joanna', language: 'en-US' },
    'Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.',
  );
  r.hangup();
  return r.toString();
}

export interface VoiceRouteDeps {
  readonly engine: VoiceEngine;
  readonly logger: Logger;
  readonly authToken: string;
  readonly publicBaseUrl: string;
  readonly defaultFlowId: string;
  /** TWILIO_SIGNATURE_PORTS (see twilio/signature.ts); strict when absent. */
  readonly signaturePorts?: 'strict' | 'either';
}

/** Answers the request and returns true when it is one of Twilio's webhooks; else returns false. */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => boolean;
type Route = (w: Webhook, res: ServerResponse) => Promise<void>;
const BAD_CALL_SID = 'CallSid missing or malformed\n';
const NO_TURN = 't (the turn of the action URL) missing or malformed: every /voice/input action URL carries it\n';

/**
 * Twilio's webhooks under /voice, on Node's own request and response: they are every call's
 * hot path and need none of Express's layers (routing, browser headers, JSON errors), so the
 * web's request listener answers them before Express sees the request (app/http.ts; npm run
 * bench: this took a new call's webhook from 0.63–0.71× a bare Express route to 1.2–1.4×,
 * docs/performance.md).
 * Everything else returns false and goes on to Express.
 */
export function voiceRoutes(deps: VoiceRouteDeps): WebhookHandler {
  const keys: SignatureKeys = {
    authToken: deps.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    ...(deps.signaturePorts ? { signaturePorts: deps.signaturePorts } : {}),
  };
  const fallback = safeFallback(deps);
  const twiml =
    (run: (p: CallParams, w: Webhook, id: string | null) => Promise<Reply>): Route =>
    async (w, res) => {
      const params = callParams(w.form);
      if (!params) {
        sendText(res, 400, BAD_CALL_SID);
        return;
      }
      const id = requestIdentity(w);
      const reply = await run(params, w, id).catch(async (err: unknown): Promise<Reply> => {
        deps.logger.error(
          { err: summarize(err), callSid: params.callSid, path: w.path },
          'voice webhook failed; apologising',
        );
        await deps.engine.release(params.callSid, id).catch(() => undefined);
        return { kind: 'twiml', body: await fallback(params) };
      });
      if (reply.kind === 'twiml') sendTwiml(res, reply.body);
      else answerRefusal(w, res, reply, deps.publicBaseUrl);
    };
  const input = twiml((p, w, id) =>
    deps.engine.input(p, typeof w.query.step === 'string' ? w.query.step : '', turnOf(w.query)!, id),
  );
  const routes: Record<string, Route> = {
    '/voice/incoming': twiml((p, w, id) =>
      deps.engine.incoming(p, typeof w.query.flow === 'string' ? w.query.flow : deps.defaultFlowId, id),
    ),
    // Without its turn a request could not be told stale: it is refused, not taken as current.
    '/voice/input': async (w, res) => {
      if (turnOf(w.query) === undefined) sendText(res, 400, NO_TURN);
      else await input(w, res);
    },
    '/voice/fallback': async (w, res) => {
      sendTwiml(res, await fallback(callParams(w.form)));
    },
    '/voice/status': async (w, res) => {
      const params = callParams(w.form);
      if (!params) {
        sendText(res, 400, BAD_CALL_SID);
        return;
      }
      if (ENDED.has(field(w.form, 'CallStatus') ?? ''))
        await deps.engine
          .ended(params.callSid)
          .catch((err: unknown) => deps.logger.warn({ err: summarize(err) }, 'call cleanup failed'));
      res.writeHead(204).end();
    },
  };
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const route = routes[path];
    if (!route) return false;
    readTwilioForm(req, res, (form) => {
      const signature = req.headers['x-twilio-signature'];
      const sig = typeof signature === 'string' ? signature : undefined;
      if (!twilioSignatureValid(keys, url, form, sig)) {
        sendText(res, 403, signatureRefused(deps.logger, path, form, sig));
        return;
      }
      const w: Webhook = {
        path,
        url,
        query: mark < 0 ? {} : parseQuery(url.slice(mark + 1)),
        form,
        headers: req.headers,
      };
      route(w, res).catch((err: unknown) => {
        deps.logger.error({ err: summarize(err), path }, 'voice webhook failed');
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
      });
    });
    return true;
  };
}

/**
 * A call that is over gets 410 with the reason. A duplicate gets the first copy's answer;
 * if that is still being made, it is sent back round (Redirect to the same signed URL).
 */
function answerRefusal(w: Webhook, res: ServerResponse, refused: Refused, publicBaseUrl: string): void {
  webhookRefusals.inc({ reason: refused.kind });
  if (refused.kind === 'ended') {
    sendText(res, 410, 'CALL_ENDED: this call is over\n');
    return;
  }
  if (refused.answer) {
    sendTwiml(res, refused.answer);
    return;
  }
  const again = new twilio.twiml.VoiceResponse();
  again.pause({ length: 1 });
  again.redirect({ method: 'POST' }, publicBaseUrl + w.url);
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

/** Error summary for logs: code and message only, never request bodies. */
export function summarize(err: unknown): { code?: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  return {
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}
