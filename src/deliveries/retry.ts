import type { Queue } from 'bullmq';
import { addJob, QUEUES, type BootstrapJobData } from '../queues/catalogue.js';
import type { BootstrapStore } from './store/store.js';

/**
 * Owns an operator's retry of a failed or expired bootstrap: the record starts a new round
 * (status queued, old segments and receipts forgotten, same credentials, same PIN if it
 * has not expired) and its push job runs again: a finished job is moved back to wait with
 * fresh attempts; a job removed by retention is added again under the same id.
 */
export async function retryBootstrap(
  deps: { store: BootstrapStore; queue: Queue<BootstrapJobData> },
  id: string,
): Promise<{ round: number; job: string }> {
  const round = await deps.store.retry(id);
  const job = await deps.queue.getJob(id);
  const state = job ? await job.getState() : 'missing';
  if (job && (state === 'failed' || state === 'completed'))
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
  else if (!job || state === 'unknown') await addJob(deps.queue, QUEUES.bootstrap, { bootstrapId: id }, id);
  // waiting / delayed / active: that run reads the record and pushes the new round.
  return { round, job: state };
}
