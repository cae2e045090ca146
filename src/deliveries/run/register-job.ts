import type { Job } from 'bullmq';
import { BootlineError, isBootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import type { DmRegisterJobData } from '../../queues/catalogue.js';
import { toJobError } from '../../queues/job-error.js';
import type { FollowUp } from '../follow-up.js';
import { failureOf } from './failure.js';
import { registerBootstrap, type RegistrationDeps } from './registration.js';

/**
 * The dm-register queue's job: DM registrations that failed inline are retried here, as
 * children of the push job. The push waits (BullMQ `waiting-children`) until one succeeds,
 * and fails with it (`failParentOnFailure`) when the DM server refuses or stays down.
 */
export function createDmRegisterProcessor(
  deps: RegistrationDeps & { readonly logger: Logger; readonly followUp?: FollowUp },
) {
  return async (job: Job<DmRegisterJobData>): Promise<void> => {
    const { bootstrapId } = job.data;
    try {
      const rec = await deps.store.get(bootstrapId);
      if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no record for ${bootstrapId}`);
      if (await registerBootstrap(deps, rec)) await deps.store.markRegistered(bootstrapId);
      deps.logger.info({ bootstrapId, attempt: job.attemptsMade + 1 }, 'dm registration done');
    } catch (err) {
      if (!isBootlineError(err)) throw err;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.logger.warn({ bootstrapId, code: err.code, err: err.message, last }, 'dm registration failed');
      // The caller may still be on the line: wait-for-delivery reads this and says so.
      if (err.retry === 'permanent' || last) {
        await deps.store.fail(bootstrapId, 'failed', err.code, err.message, '', failureOf(err));
        await deps.followUp?.(bootstrapId).catch(() => undefined);
      }
      throw await toJobError(err, { lastAttempt: last });
    }
  };
}
