import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import { BootlineError, isBootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import type { BootstrapStore } from '../store/store.js';
import { freshCredentials } from '../../dm/credentials.js';
import { registerDevice, registrationFor, type DmRegisterTarget } from '../../dm/register-client.js';

/**
 * DM registrations that failed inline are retried through their own queue, as children of
 * the push job: the push waits (BullMQ `waiting-children`) until one succeeds, and fails
 * with it (`failParentOnFailure`) when the DM server refuses or stays down.
 */
export const DM_REGISTER_QUEUE = 'dm-register';
export const DM_REGISTER_JOB = 'register';

export interface DmRegisterJobData {
  readonly bootstrapId: string;
  readonly round: number;
}

export const DM_REGISTER_JOB_OPTIONS: JobsOptions = {
  // 2 s doubling, with jitter: about 8 minutes in all before the bootstrap fails.
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
  failParentOnFailure: true,
};

/** One child per round of a bootstrap (an operator's retry starts a new round). */
export function registerJobId(bootstrapId: string, round: number): string {
  return `dmreg-${bootstrapId}-r${round}`;
}

export interface RegisterDeps {
  readonly store: BootstrapStore;
  readonly target: DmRegisterTarget;
  readonly serverId: string;
}

/** Registers the bootstrap's credentials (creating them on first use) and records success. */
export async function registerOnce(deps: RegisterDeps, bootstrapId: string): Promise<void> {
  const rec = await deps.store.get(bootstrapId);
  if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no record for ${bootstrapId}`);
  if (rec.registeredAt) return;
  const cred = await deps.store.credentials(bootstrapId, () => freshCredentials(deps.serverId, bootstrapId));
  await registerDevice(deps.target, registrationFor(bootstrapId, rec.msisdn, deps.serverId, cred));
  await deps.store.markRegistered(bootstrapId);
}

export function createDmRegisterProcessor(deps: RegisterDeps & { readonly logger: Logger }) {
  return async (job: Job<DmRegisterJobData>): Promise<void> => {
    const { bootstrapId } = job.data;
    try {
      await registerOnce(deps, bootstrapId);
      deps.logger.info({ bootstrapId, attempt: job.attemptsMade + 1 }, 'dm registration done');
    } catch (err) {
      if (!isBootlineError(err)) throw err;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.logger.warn({ bootstrapId, code: err.code, err: err.message, last }, 'dm registration failed');
      if (err.retry !== 'permanent' && !last) throw err;
      // The caller may still be on the line: wait-for-delivery reads this and says so.
      await deps.store.fail(bootstrapId, 'failed', err.code, err.message);
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }
  };
}
