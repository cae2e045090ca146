import type { Worker } from 'bullmq';

/**
 * worker.close() waits for active jobs and has no timeout of its own (bullmq#4656: it never
 * resolves while Redis is unreachable). This gives it `ms`, then forces it: active jobs keep
 * their locks until they lapse and the stalled check re-runs them, so nothing is lost.
 */
export async function closeWorker(worker: Worker, ms: number): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'forced'>((resolve) => {
    timer = setTimeout(() => resolve('forced'), ms);
  });
  const outcome = await Promise.race([worker.close().then(() => 'drained' as const), timeout]);
  clearTimeout(timer);
  if (outcome === 'forced') await Promise.race([worker.close(true), new Promise((r) => setTimeout(r, 1_000).unref())]);
  return outcome;
}
