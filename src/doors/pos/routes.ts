import { createHash, randomBytes } from 'node:crypto';
import { json, Router, type Request } from 'express';
import { bootstrapView } from '../../deliveries/view.js';
import type { BootstrapStore } from '../../deliveries/store/store.js';
import { BootlineError } from '../../errors.js';
import { requireRole, type ApiToken } from '../../platform/http/auth.js';
import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { AbuseGuard } from '../../policy/limits.js';
import type { BootstrapIntake, Origin } from '../intake.js';
import { issuesText, POS_REQUEST, type PosRequest } from '../schemas.js';
import type { IdempotencyKeys } from './idempotency.js';

export interface PosAnswer {
  readonly id: string;
  readonly state: string;
  readonly pin?: string;
}

const ID = /^[A-Za-z0-9_-]{1,80}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** "pos 3f9a1c2e4b5d": the role and the token's hash prefix, never the token. */
export const actorOf = (req: Request) => `${req.apiRole} ${req.apiTokenTag}`;

/** Same fields, same values, same request: key order does not matter. */
function fingerprint(body: PosRequest): string {
  const sorted = Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('base64url');
}

/**
 * POST /api/bootstraps  (pos, operator): a bootstrap for one number, e.g. from a shop's till
 *   → 202 { id, state, pin? }. The PIN, when the SEC method has one, is in this answer only,
 *   for the clerk to hand over; the status API never shows it. Idempotency-Key honoured.
 * GET  /api/bootstraps/:id  (every role; pos only its own): the status view with its origin.
 */
export function posRoutes(deps: {
  readonly tokens: readonly ApiToken[];
  readonly intake: BootstrapIntake;
  readonly guard: AbuseGuard;
  readonly idempotency: IdempotencyKeys<PosAnswer>;
  readonly store: BootstrapStore;
  readonly logger: Logger;
  /** Who may see a bootstrap with this origin besides operators: its actor, or a batch row's batch owner. */
  readonly ownerOf: (origin: Origin) => Promise<string | null>;
}): Router {
  const r = Router();
  r.post('/api/bootstraps', requireRole(deps.tokens, ['pos', 'operator']), json({ limit: '4kb' }), async (req, res) => {
    const parsed = POS_REQUEST.safeParse(req.body);
    if (!parsed.success) throw new BootlineError('BAD_REQUEST', issuesText(parsed.error));
    const body = parsed.data;
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      throw new BootlineError('BAD_REQUEST', 'Idempotency-Key must be 1-255 visible ASCII characters');
    let scope: string | null = null;
    if (key !== undefined) {
      const claim = await deps.idempotency.claim(deps.idempotency.scopeOf(actorOf(req), key), fingerprint(body));
      if (claim.kind === 'replay') {
        res.status(202).set('Idempotent-Replayed', 'true').location(`/api/bootstraps/${claim.answer.id}`);
        res.json(claim.answer);
        return;
      }
      scope = claim.scope;
    }
    try {
      const answer = await request(deps, req, body, scope ?? randomBytes(12).toString('base64url'));
      if (scope) await deps.idempotency.store(scope, answer);
      res.status(202).location(`/api/bootstraps/${answer.id}`).json(answer);
    } catch (err) {
      if (scope) await deps.idempotency.release(scope);
      throw err;
    }
  });

  r.get(
    '/api/bootstraps/:id',
    requireRole(deps.tokens, ['operator', 'agent', 'read-only', 'pos']),
    async (req, res, next) => {
      // Everyone but a point-of-sale clerk gets the delivery API's own view (timeline included).
      if (req.apiRole !== 'pos') {
        next('route');
        return;
      }
      const id = req.params.id;
      if (typeof id !== 'string' || !ID.test(id)) throw new BootlineError('BAD_REQUEST', 'malformed bootstrap id');
      const [rec, status] = await Promise.all([deps.store.get(id), deps.intake.status(id)]);
      // A point-of-sale token sees the bootstraps it asked for, and no others (not even that they exist).
      const mine = status?.origin ? (await deps.ownerOf(status.origin)) === actorOf(req) : false;
      if (!rec || !mine) throw new BootlineError('BOOTSTRAP_NOT_FOUND', 'no bootstrap with that id');
      res.json({
        ...bootstrapView(rec),
        origin: status?.origin ?? null,
        profile: status?.profile ?? null,
        sec: status?.sec ?? null,
        tac: status?.tac ?? null,
      });
    },
  );
  return r;
}

async function request(
  deps: Parameters<typeof posRoutes>[0],
  req: Request,
  body: PosRequest,
  unique: string,
): Promise<PosAnswer> {
  const limit = await deps.guard.allow('bootstrap', { destination: body.msisdn });
  if (!limit.ok) {
    req.res?.set('Retry-After', String(limit.retryAfterS));
    throw new BootlineError('RATE_LIMITED', `bootstrap refused by the ${limit.scope} limit`, {
      scope: limit.scope,
      retryAfterS: limit.retryAfterS,
    });
  }
  const accepted = await deps.intake.request({
    id: `pos-${unique}`,
    msisdn: body.msisdn,
    origin: { door: 'pos', by: actorOf(req), ...(body.reference ? { reference: body.reference } : {}) },
    ...(body.profile ? { profile: body.profile } : {}),
    ...(body.sec ? { sec: body.sec } : {}),
    ...(body.imei ? { imei: body.imei } : {}),
  });
  deps.logger.info(
    { door: 'pos', by: actorOf(req), bootstrapId: accepted.id, to: maskPhone(body.msisdn), created: accepted.created },
    'bootstrap requested',
  );
  return { id: accepted.id, state: accepted.state, ...(accepted.pin ? { pin: accepted.pin } : {}) };
}
