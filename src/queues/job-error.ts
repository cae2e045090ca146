import { RateLimitError, UnrecoverableError } from 'bullmq';
import { isBootlineError } from '../errors.js';

/**
 * How long a queue pauses when the SMSC (or SMPP_TOTAL_TPS across the workers) says slow
 * down. The job goes back to wait under the queue's rate limit: slowing down is not a
 * failed attempt, so throttling never uses up a job's retries.
 */
export const THROTTLE_BACKOFF_MS = 1_000;

export interface JobErrorOptions {
  /** The worker's queue rate limit (Worker.rateLimit); without it a throttle is an ordinary retry. */
  readonly rateLimit?: (ms: number) => Promise<void>;
  /** This was the job's last attempt: nothing is left to retry, so any BootlineError is final. */
  readonly lastAttempt?: boolean;
}

/**
 * Maps what a processor caught to what BullMQ needs, by the catalogue's retry semantics
 * (errors.ts): 'permanent' → UnrecoverableError (no further attempts); 'throttle' → the
 * queue is rate-limited for THROTTLE_BACKOFF_MS and RateLimitError puts the job back to
 * wait; anything else is returned as it is (BullMQ retries it with the job's backoff).
 * Every processor ends its catch with `throw await toJobError(err, …)`.
 */
export async function toJobError(err: unknown, o: JobErrorOptions = {}): Promise<unknown> {
  if (!isBootlineError(err)) return err;
  if (err.retry === 'throttle' && o.rateLimit) {
    await o.rateLimit(THROTTLE_BACKOFF_MS);
    return new RateLimitError();
  }
  if (err.retry === 'permanent' || o.lastAttempt) return new UnrecoverableError(`${err.code}: ${err.message}`);
  return err;
}
