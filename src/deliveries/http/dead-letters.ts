/** Owns the dead-letter view: what failed for good, in every queue. */
import { Router } from 'express';
import type { Queue } from 'bullmq';
import type { ApiToken } from '../../config/config.js';
import { requireRole } from '../../platform/http/auth.js';

/**
 * GET /dead-letter: jobs that used up their attempts or failed permanently, per queue,
 * newest first. BullMQ's failed set is the dead-letter queue (kept 30 days by the job
 * options); this lists it without job data beyond ids (no sealed values, no numbers).
 */
export function deadLetterRoutes(deps: { tokens: readonly ApiToken[]; queues: readonly Queue[] }): Router {
  const r = Router();
  r.get('/dead-letter', requireRole(deps.tokens, ['operator', 'agent', 'read-only']), async (req, res) => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50) || 50));
    const queues = await Promise.all(
      deps.queues.map(async (q) => ({
        queue: q.name,
        total: await q.getFailedCount(),
        jobs: (await q.getFailed(0, limit - 1)).map((j) => ({
          id: j.id,
          name: j.name,
          attemptsMade: j.attemptsMade,
          failedReason: j.failedReason,
          failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
          bootstrapId: (j.data as { bootstrapId?: string }).bootstrapId ?? null,
        })),
      })),
    );
    res.json({ queues });
  });
  return r;
}
