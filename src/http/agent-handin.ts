import { Router, urlencoded, type Request } from 'express';
import type { AgentService } from '../agent/service.js';
import { BootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import type { CallParams } from '../voice/context.js';
import { requireTwilioSignature } from './twilio-signature.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

function params(req: Request): CallParams | null {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  const callSid = str('CallSid');
  if (!callSid || !CALL_SID.test(callSid)) return null;
  const from = str('From');
  const stir = str('StirVerstat');
  return { callSid, digits: '', ...(from ? { from } : {}), ...(stir ? { stirVerstat: stir } : {}) };
}

/**
 * POST /voice/handin?flow=…&token=… — where Twilio brings a call an agent handed in (REST
 * redirect, or <Redirect> after a cold-transfer code). Signed like every webhook; the token
 * must be this call's, for this flow, unexpired and unused, else a 4xx with the reason and
 * the call's state untouched.
 */
export function handInRoutes(deps: { service: AgentService; logger: Logger; authToken: string; publicBaseUrl: string }): Router {
  const r = Router();
  r.use(urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }));
  r.use(requireTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl }));
  r.post('/', async (req, res) => {
    const p = params(req);
    const flow = typeof req.query.flow === 'string' ? req.query.flow : '';
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!p) throw new BootlineError('BAD_REQUEST', 'CallSid missing or malformed');
    try {
      res.type('text/xml').send(await deps.service.accept(p, flow, token));
    } catch (err) {
      if (err instanceof BootlineError && err.code.startsWith('AGENT_TOKEN_')) deps.logger.warn({ callSid: p.callSid, flow, code: err.code }, 'hand-in refused');
      throw err;
    }
  });
  return r;
}
