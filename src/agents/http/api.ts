import { Router, json, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { agentBootstrapView, transferView } from '../view.js';
import type { AgentService } from '../service.js';
import type { TransferStore } from '../transfers.js';
import type { ApiToken } from '../../config/config.js';
import { BootlineError } from '../../errors.js';
import type { BootstrapStore } from '../../deliveries/store/store.js';
import { SIP_URI } from '../../voice/steps/transfer-to-agent.js';
import { requireRole } from '../../platform/http/auth.js';
import { E164, isE164 } from '../../platform/e164.js';

export interface AgentApiDeps {
  readonly tokens: readonly ApiToken[];
  readonly service: AgentService;
  readonly transfers: TransferStore;
  readonly store: BootstrapStore;
}

const ID = z.string().regex(/^[A-Za-z0-9_.@:#-]{1,64}$/, 'letters, digits and _ . @ : # - (max 64)');
export const TRANSFER_REQUEST = z.strictObject({
  callSid: z
    .string()
    .regex(/^CA[0-9a-fA-F]{32}$/, 'a Twilio CallSid (CA + 32 hex)')
    .optional()
    .describe("The customer's live call: hand-in. Without it: a cold-transfer code"),
  flow: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,40}$/)
    .default('bootstrap'),
  agentId: ID.optional(),
  ticketId: ID.optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'a flow language key, e.g. en')
    .optional(),
  number: z
    .string()
    .regex(/^\+?\d{6,17}$/, 'digits, E.164 (+447700900123) or national')
    .optional(),
  returnTo: z.union([z.string().regex(E164), SIP_URI], 'an E.164 number or a SIP URI').optional(),
});

/**
 * POST /api/agent/transfers        hand a caller into a flow, or get a cold-transfer code (agent, operator)
 * GET  /api/agent/transfers/:id    the transfer and its bootstrap, agent view (every role)
 * GET  /api/agent/bootstraps/:id   a bootstrap, agent view: masked number, no SMSC details (every role)
 * GET  /api/agent/bootstraps?msisdn=+E164   the bootstraps for a number, agent view, newest first (every role)
 */
export function agentApiRoutes(deps: AgentApiDeps): Router {
  const r = Router();
  const read = requireRole(deps.tokens, ['operator', 'agent', 'read-only']);
  const id = (raw: unknown) => {
    if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(raw))
      throw new BootlineError('BAD_REQUEST', 'malformed id');
    return raw;
  };
  r.use(json({ limit: '4kb' }));

  r.post('/transfers', requireRole(deps.tokens, ['operator', 'agent']), async (req, res) => {
    const body = TRANSFER_REQUEST.safeParse(req.body ?? {});
    if (!body.success) {
      const problems = body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new BootlineError('BAD_REQUEST', `invalid transfer request: ${problems.join('; ')}`, { problems });
    }
    const out = await deps.service.create(body.data);
    res.status(201).json({
      ...transferView(out.transfer, null),
      ...(out.code ? { code: out.code, codeExpiresAt: out.codeExpiresAt } : {}),
    });
  });

  r.get('/transfers/:id', read, async (req, res) => {
    const t = await deps.transfers.get(id(req.params.id));
    if (!t) throw new BootlineError('NOT_FOUND', 'no transfer with that id (transfers are kept 24 hours)');
    res.json(transferView(t, t.bootstrapId ? await deps.store.get(t.bootstrapId) : null));
  });

  r.get('/bootstraps', read, async (req, res) => {
    const msisdn = req.query.msisdn;
    if (!isE164(msisdn)) throw new BootlineError('BAD_REQUEST', 'msisdn must be an E.164 number, e.g. +447700900123');
    const recs = await Promise.all((await deps.store.idsForMsisdn(msisdn)).map((i) => deps.store.get(i)));
    res.json({ bootstraps: recs.filter((x) => x !== null).map(agentBootstrapView) });
  });

  r.get('/bootstraps/:id', read, async (req, res) => {
    const rec = await deps.store.get(id(req.params.id));
    if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', 'no bootstrap with that id');
    res.json(agentBootstrapView(rec));
  });

  r.use(agentErrors);
  return r;
}

/** Like the app's error answer, plus the details an agent acts on (Twilio's code, the policy reason, the transfer). */
const agentErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (
    !(err instanceof BootlineError) ||
    (err.http >= 500 && err.code !== 'TWILIO_REST_ERROR' && err.code !== 'AGENT_NOT_CONFIGURED')
  ) {
    next(err);
    return;
  }
  const d = err.details as Record<string, unknown>;
  const details = Object.fromEntries(
    ['twilioCode', 'twilioStatus', 'moreInfo', 'reason', 'problems']
      .filter((k) => d[k] !== undefined)
      .map((k) => [k, d[k]]),
  );
  const transfer = (err as { transfer?: { id: string } }).transfer;
  res.status(err.http).json({
    error: { code: err.code, message: err.message, ...details, ...(transfer ? { transferId: transfer.id } : {}) },
  });
};
