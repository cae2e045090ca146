import type { JobsOptions } from 'bullmq';

/** Queue names, job types and job options: the one place that defines them. */
export const BOOTSTRAP_QUEUE = 'bootstrap';
export const BOOTSTRAP_JOB = 'push';

/**
 * Job data is deliberately tiny: the bootstrap id only. The destination, the sealed PIN and
 * the credentials live in Redis records the worker reads; nothing secret sits in the job
 * (BullMQ stores job data in clear text and bull-board displays it).
 */
export interface BootstrapJobData {
  readonly bootstrapId: string;
}

export const BOOTSTRAP_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  // Kept long enough that a replayed webhook or retried add hits the existing job id
  // and becomes a no-op (BullMQ only de-duplicates ids while the job key exists).
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Job ids derive from the CallSid, so one call can never produce two pushes. */
export function bootstrapIdForCall(callSid: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(callSid)) throw new Error('CallSid has unexpected characters');
  return `bs-${callSid}`;
}

/**
 * Worker settings for push work. A job whose worker died keeps its lock for `lockMs`; the
 * stalled check (same period) then puts it back in `wait` and another run continues where
 * the recorded segments end. `maxStalled` bounds re-runs of a job that kills its worker.
 */
export function pushWorkerOptions(w: { concurrency: number; lockMs: number; maxStalled: number }) {
  return {
    concurrency: w.concurrency,
    lockDuration: w.lockMs,
    stalledInterval: w.lockMs,
    maxStalledCount: w.maxStalled,
  } as const;
}
