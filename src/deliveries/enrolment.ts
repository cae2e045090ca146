import type { Job } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import type { EnrolmentJobData } from '../queues/catalogue.js';
import { toJobError } from '../queues/job-error.js';
import type { FollowUp } from './follow-up.js';
import type { BootstrapStore } from './store/store.js';

/**
 * Owns the enrolment deadline: a delayed job per bootstrap and round, added (once, by its id)
 * when the bootstrap is delivered. When it runs, a bootstrap still `delivered` in that round
 * becomes `not-enrolled` (NOT_ENROLLED_IN_TIME); one that enrolled, failed or started another
 * round is left alone. Its follow-up runs every time, so a worker killed after the transition
 * publishes the event on the re-run.
 */
export function createEnrolmentProcessor(deps: {
  readonly store: BootstrapStore;
  readonly windowS: number;
  readonly followUp: FollowUp;
  readonly logger: Logger;
}) {
  return async (job: Job<EnrolmentJobData>): Promise<{ status: string | null }> => {
    const { bootstrapId, round } = job.data;
    try {
      const status = await deps.store.notEnrolled(bootstrapId, round, deps.windowS);
      if (status === 'not-enrolled') deps.logger.info({ bootstrapId, round }, 'bootstrap not enrolled in time');
      await deps.followUp(bootstrapId, status ? { status, round } : undefined);
      return { status };
    } catch (err) {
      throw await toJobError(err);
    }
  };
}
