import { Router, urlencoded } from 'express';
import type { AgentService } from '../service.js';
import { BootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import type { Form } from '../../twilio/form.js';
import { requireTwilioSignature } from '../../twilio/signature.js';
import { callParams } from '../../voice/http/webhook-params.js';

/**
 * POST /voice/handin?flow=…&token=… — where Twilio brings a call an agent handed in (REST
 * redirect, or <Redirect> after a cold-transfer code). Signed like every webhook; the token
 * must be this call's, for this flow, unexpired and unused, else a 4xx with the reason and
 * the call's state untouched.
 */
export function handInRoutes(deps: {
  service: AgentService;
  logger: Logger;
  authToken: string;
  publicBaseUrl: string;
  signaturePorts?: 'strict' | 'either';
}): Router {
  const r = Router();
  r.use(urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }));
  r.use(requireTwilioSignature(deps));
  r.post('/', async (req, res) => {
    const p = callParams((req.body ?? {}) as Form);
    const flow = typeof req.query.flow === 'string' ? req.query.flow : '';
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!p) throw new BootlineError('BAD_REQUEST', 'CallSid missing or malformed');
    try {
      res.type('text/xml').send(await deps.service.accept(p, flow, token));
    } catch (err) {
      if (err instanceof BootlineError && err.code.startsWith('AGENT_TOKEN_'))
        deps.logger.warn({ callSid: p.callSid, flow, code: err.code }, 'hand-in refused');
      throw err;
    }
  });
  return r;
}
