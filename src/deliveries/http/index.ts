import type { Queue } from 'bullmq';
import { Router, json } from 'express';
import type { ApiToken } from '../../config/config.js';
import type { BootstrapJobData } from '../../queues/jobs.js';
import type { BootstrapStore } from '../store/store.js';
import { bootstrapRoutes } from './bootstraps.js';
import { dashboardRoutes } from '../../console/dashboard.js';
import { deadLetterRoutes } from './dead-letters.js';

export interface ApiDeps {
  readonly tokens: readonly ApiToken[];
  readonly store: BootstrapStore;
  readonly bootstrapQueue: Queue<BootstrapJobData>;
  /** Every queue the dashboard and the dead-letter view show (bootstrap, dm-register, sms). */
  readonly queues: readonly Queue[];
}

export const DASHBOARD_PATH = '/admin/queues';

/** The token-protected operator surface: `/api/*` (status, retry, dead letters) and the dashboard. */
export function operatorRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.use(
    '/api',
    json({ limit: '10kb' }),
    bootstrapRoutes({ tokens: deps.tokens, store: deps.store, queue: deps.bootstrapQueue }),
    deadLetterRoutes({ tokens: deps.tokens, queues: deps.queues }),
  );
  r.use(DASHBOARD_PATH, dashboardRoutes({ tokens: deps.tokens, queues: deps.queues, basePath: DASHBOARD_PATH }));
  return r;
}
