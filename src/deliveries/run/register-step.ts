import { WaitingChildrenError, type Job } from 'bullmq';
import { registerDevice, registrationFor } from '../../dm/register-client.js';
import { DM_REGISTER_JOB, DM_REGISTER_JOB_OPTIONS, registerJobId } from './register-job.js';
import { BootlineError, isBootlineError } from '../../errors.js';
import type { BootstrapJobData } from '../../queues/jobs.js';
import type { ProcessorDeps } from './processor.js';
import type { BootstrapRecord, DmCredentials } from '../record.js';

/**
 * The push goes out only after the DM server knows the credentials. First try inline (no
 * queue hop while the caller waits); if the DM server is unavailable, a dm-register child
 * job takes over with its own backoff and this job waits for it. A refusal is permanent.
 * Returns 'now' when registered inline (the caller records it), 'child' when a child did.
 */
export async function ensureRegistered(
  deps: ProcessorDeps,
  job: Job<BootstrapJobData>,
  rec: BootstrapRecord,
  cred: DmCredentials,
  token?: string,
): Promise<'now' | 'child'> {
  const waitForChild = async () => {
    if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  };
  // Only a re-run (or a later round) can have a pending child from an earlier run: keep waiting for it.
  if (job.attemptsStarted !== 1 || rec.round > 1) await waitForChild();
  try {
    await registerDevice(deps.dm.target, registrationFor(rec.id, rec.msisdn, deps.config.dmServer.id, cred));
    return 'now';
  } catch (err) {
    if (!isBootlineError(err, 'DM_REGISTRATION_UNAVAILABLE')) throw err;
    deps.logger.warn(
      { bootstrapId: rec.id, err: err.message },
      'dm registration failed; retrying through the dm-register queue',
    );
  }
  const parent = { id: job.id!, queue: job.queueQualifiedName };
  await deps.dm.queue.add(
    DM_REGISTER_JOB,
    { bootstrapId: rec.id, round: rec.round },
    { ...DM_REGISTER_JOB_OPTIONS, jobId: registerJobId(rec.id, rec.round), parent },
  );
  await waitForChild();
  // The child finished between add and wait: it either registered or failed this bootstrap.
  if (!(await deps.store.get(rec.id))?.registeredAt)
    throw new BootlineError('DM_REGISTRATION_UNAVAILABLE', 'registration not done yet');
  return 'child';
}
