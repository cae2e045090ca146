import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import type { ApiToken } from '../config/config.js';
import { requireRole } from '../platform/http/auth.js';

/**
 * bull-board behind the API tokens. Operators get the full board (retry, clean, promote);
 * agents and read-only tokens get a second board instance in readOnlyMode. Browsers log in
 * with Basic auth, the token as password. Job data on the board is ids and sealed values only.
 */
/** Where the queue dashboard (bull-board) is mounted. */
export const DASHBOARD_PATH = '/admin/queues';

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
  const r = Router();
  r.use(requireRole(deps.tokens, ['operator', 'agent', 'read-only'], { basicRealm: true }), (req, res, next) =>
    (req.apiRole === 'operator' ? operator : readOnly)(req, res, next),
  );
  return r;
}
