/** Owns the delivery HTTP API, token-protected: bootstrap status and retry, the dead-letter view. */
import type { Queue } from 'bullmq';
import { Router, json } from 'express';
import type { ApiToken } from '../../config/config.js';
import type { BootstrapJobData } from '../../queues/catalogue.js';
import type { FollowUp } from '../follow-up.js';
import type { BootstrapStore } from '../store/store.js';
import { bootstrapRoutes } from './bootstraps.js';
import { deadLetterRoutes } from './dead-letters.js';
import { dmSessionRoutes, type DmSessionDeps } from './dm-sessions.js';

export interface DeliveryApiDeps {
  readonly tokens: readonly ApiToken[];
  readonly store: BootstrapStore;
  readonly bootstrapQueue: Queue<BootstrapJobData>;
  /** Every queue the dashboard and the dead-letter view show (bootstrap, dm-register, sms, enrolment, events). */
  readonly queues: readonly Queue[];
  /** The DM server's session signals; absent without DM_REGISTER_SECRET (not mounted). */
  readonly dmSessions?: DmSessionDeps;
  /** Outbound events of an operator's retry. */
  readonly followUp?: FollowUp;
}

/**
 * The token-protected delivery API: `/api/bootstraps` (status, retry) and `/api/dead-letters`;
 * and the DM server's signed session signal `/api/dm/sessions`.
 */
export function deliveryRoutes(deps: DeliveryApiDeps): Router {
  const r = Router();
  // Before the JSON parser: the signature covers the raw body.
  if (deps.dmSessions) r.use('/api', dmSessionRoutes(deps.dmSessions));
  r.use(
    '/api',
    json({ limit: '10kb' }),
    bootstrapRoutes({
      tokens: deps.tokens,
      store: deps.store,
      queue: deps.bootstrapQueue,
      ...(deps.followUp ? { followUp: deps.followUp } : {}),
    }),
    deadLetterRoutes({ tokens: deps.tokens, queues: deps.queues }),
  );
  return r;
}
