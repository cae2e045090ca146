/** Owns the delivery HTTP API, token-protected: bootstrap status and retry, the dead-letter view. */
import type { Queue } from 'bullmq';
import { Router, json } from 'express';
import type { ApiToken } from '../../config/config.js';
import type { BootstrapJobData } from '../../queues/catalogue.js';
import type { BootstrapStore } from '../store/store.js';
import { bootstrapRoutes } from './bootstraps.js';
import { deadLetterRoutes } from './dead-letters.js';

export interface DeliveryApiDeps {
  readonly tokens: readonly ApiToken[];
  readonly store: BootstrapStore;
  readonly bootstrapQueue: Queue<BootstrapJobData>;
  /** Every queue the dashboard and the dead-letter view show (bootstrap, dm-register, sms). */
  readonly queues: readonly Queue[];
}

/** The token-protected delivery API: `/api/bootstraps` (status, retry) and `/api/dead-letters`. */
export function deliveryRoutes(deps: DeliveryApiDeps): Router {
  const r = Router();
  r.use(
    '/api',
    json({ limit: '10kb' }),
    bootstrapRoutes({ tokens: deps.tokens, store: deps.store, queue: deps.bootstrapQueue }),
    deadLetterRoutes({ tokens: deps.tokens, queues: deps.queues }),
  );
  return r;
}
