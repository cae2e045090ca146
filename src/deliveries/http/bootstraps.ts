/** Owns the bootstrap routes: status by id or by number, and an operator's retry. */
import { Router } from 'express';
import type { Queue } from 'bullmq';
import type { ApiToken } from '../../config/config.js';
import { BootlineError } from '../../errors.js';
import type { BootstrapJobData } from '../../queues/catalogue.js';
import { retryBootstrap } from '../retry.js';
import type { FollowUp } from '../follow-up.js';
import type { BootstrapStore } from '../store/store.js';
import { requireRole } from '../../platform/http/auth.js';
import { bootstrapView } from '../view.js';
import { isE164 } from '../../platform/e164.js';

const ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * GET  /bootstraps/:id               one bootstrap with its timeline (every role; the number in full for operators)
 * GET  /bootstraps?msisdn=+E164      the bootstraps for a number, newest first (every role)
 * POST /bootstraps/:id/retry         a failed/expired one again (operator, agent)
 */
export function bootstrapRoutes(deps: {
  tokens: readonly ApiToken[];
  store: BootstrapStore;
  queue: Queue<BootstrapJobData>;
  followUp?: FollowUp;
}): Router {
  const r = Router();
  const read = requireRole(deps.tokens, ['operator', 'agent', 'read-only']);
  const id = (raw: string | string[] | undefined) => {
    if (typeof raw !== 'string' || !ID.test(raw)) throw new BootlineError('BAD_REQUEST', 'malformed bootstrap id');
    return raw;
  };

  r.get('/bootstraps/:id', read, async (req, res) => {
    const bootstrapId = id(req.params.id);
    const [rec, timeline] = await Promise.all([deps.store.get(bootstrapId), deps.store.timeline(bootstrapId)]);
    if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', 'no bootstrap with that id');
    res.json(bootstrapView(rec, { reveal: req.apiRole === 'operator', timeline }));
  });

  r.get('/bootstraps', read, async (req, res) => {
    const msisdn = req.query.msisdn;
    if (!isE164(msisdn)) throw new BootlineError('BAD_REQUEST', 'msisdn must be an E.164 number, e.g. +447700900123');
    const ids = await deps.store.idsForMsisdn(msisdn);
    const recs = await Promise.all(ids.map((i) => deps.store.get(i)));
    const reveal = req.apiRole === 'operator';
    res.json({ bootstraps: recs.filter((x) => x !== null).map((x) => bootstrapView(x, { reveal })) });
  });

  r.post('/bootstraps/:id/retry', requireRole(deps.tokens, ['operator', 'agent']), async (req, res) => {
    const bootstrapId = id(req.params.id);
    const { round } = await retryBootstrap({ store: deps.store, queue: deps.queue }, bootstrapId);
    await deps.followUp?.(bootstrapId);
    req.log?.info({ bootstrapId, round, role: req.apiRole }, 'bootstrap retried');
    res.status(202).json({ id: bootstrapId, status: 'queued', round });
  });
  return r;
}
