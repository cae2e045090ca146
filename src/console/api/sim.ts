import { Router, json, type Request } from 'express';
import { BootlineError } from '../../errors.js';
import { requireOperator, type SessionCookies } from '../session.js';
import type { SimCalls } from '../sim.js';
import { HANDSET_CHOICES, type HandsetChoice } from '../simulator/handset.js';
import { publicErrors } from './flows.js';

const FLOW = /^[a-z][a-z0-9-]{0,40}$/;
const VERSION = /^(published|draft|\d{1,9}|[0-9a-f]{16})$/;
const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const callId = (req: Request) => {
  const id = req.params.call;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,20}$/.test(id))
    throw new BootlineError('SIM_CALL_UNKNOWN', 'no simulated call with that id');
  return id;
};

/**
 * Simulated calls for the console (operators): POST /sim/calls {flow, version, from?, handset?}
 * starts one (handset: what the simulated handset does, HANDSET_CHOICES, default enrolled),
 * POST /sim/calls/:call/keys {digits} answers the prompt, GET shows it, DELETE hangs up.
 */
export function simRoutes(deps: { sim: SimCalls; cookies: SessionCookies }): Router {
  const r = Router();
  r.use('/sim', requireOperator(deps.cookies), json({ limit: '2kb' }));
  r.post('/sim/calls', async (req, res) => {
    const { flow, version = 'published', from, handset = 'enrolled' } = body(req);
    if (typeof flow !== 'string' || !FLOW.test(flow)) throw new BootlineError('BAD_REQUEST', '"flow" is a flow id');
    if (typeof version !== 'string' || !VERSION.test(version))
      throw new BootlineError('BAD_REQUEST', '"version" is published, draft or a revision');
    if (!HANDSET_CHOICES.includes(handset as HandsetChoice))
      throw new BootlineError('BAD_REQUEST', `"handset" is one of ${HANDSET_CHOICES.join(', ')}`);
    const caller = typeof from === 'string' ? from : undefined;
    res.status(201).json(await deps.sim.start(flow, version, caller, handset as HandsetChoice));
  });
  r.get('/sim/calls/:call', async (req, res) => {
    res.json(await deps.sim.view(callId(req)));
  });
  r.post('/sim/calls/:call/keys', async (req, res) => {
    res.json(await deps.sim.keys(callId(req), body(req).digits));
  });
  r.delete('/sim/calls/:call', async (req, res) => {
    res.json(await deps.sim.hangup(callId(req)));
  });
  r.use(publicErrors);
  return r;
}
