import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import type { ApiToken } from '../config/config.js';
import { BootlineError } from '../errors.js';
import { requireRole } from '../platform/http/auth.js';
import { jsonBodiesOnly, sameSiteWrites } from '../platform/http/same-origin.js';

/** Where the queue dashboard (bull-board) is mounted. */
export const DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board routes that write job data by hand: "add job" and "edit job data". bootline's
 * jobs carry an id, or sealed values, that bootline itself made after its checks (possession
 * of the number, rate limits, destination policy); a hand-written job skips every one of them
 * (an SMS to any number, a second push for a call), so they are not offered to anyone.
 */
const HAND_WRITTEN_JOBS = /\/api\/queues\/[^/]+\/(add|[^/]+\/update-data)$/;

/**
 * bull-board behind the API tokens. Operators get the full board (retry, clean, promote,
 * pause) except hand-written jobs; agents and read-only tokens get a second board instance in
 * readOnlyMode. Browsers log in with Basic auth, the token as password — credentials a browser
 * attaches to any request, so a write must come from the board's own page: JSON bodies only,
 * same origin (platform/http/same-origin.ts). Job data on the board is ids and sealed values only.
 */
export function dashboardRoutes(deps: {
  tokens: readonly ApiToken[];
  queues: readonly Queue[];
  basePath: string;
}): Router {
  const board = (readOnlyMode: boolean): RequestHandler => {
    const adapter = new ExpressAdapter().setBasePath(deps.basePath);
    createBullBoard({
      queues: deps.queues.map((q) => new BullMQAdapter(q, { readOnlyMode, allowRetries: !readOnlyMode })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: readOnlyMode ? 'bootline (read-only)' : 'bootline' } },
    });
    return adapter.getRouter() as RequestHandler;
  };
  const [operator, readOnly] = [board(false), board(true)];
  const noHandWrittenJobs: RequestHandler = (req, _res, next) => {
    if (req.method !== 'GET' && HAND_WRITTEN_JOBS.test(req.path)) {
      next(
        new BootlineError('API_FORBIDDEN', 'jobs are made by bootline only: adding or editing job data is disabled'),
      );
      return;
    }
    next();
  };
  const r = Router();
  r.use(
    requireRole(deps.tokens, ['operator', 'agent', 'read-only'], { basicRealm: true }),
    sameSiteWrites(),
    jsonBodiesOnly(),
    noHandWrittenJobs,
    (req, res, next) => (req.apiRole === 'operator' ? operator : readOnly)(req, res, next),
  );
  return r;
}
