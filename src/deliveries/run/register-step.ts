import { WaitingChildrenError, type Job } from 'bullmq';
import { BootlineError, isBootlineError } from '../../errors.js';
import { addJob, QUEUES, type BootstrapJobData } from '../../queues/catalogue.js';
import { registerJobId } from '../ids.js';
import type { BootstrapRecord, DmCredentials } from '../record.js';
import type { ProcessorDeps } from './deps.js';
import { registerBootstrap } from './registration.js';

/**
 * The push run's registration step. The push goes out only after the DM server knows the
 * credentials. First try inline (no queue hop while the caller waits); if the DM server is
 * unavailable, a dm-register child job (register-job.ts) takes over with its own backoff and
 * this job waits for it. A refusal is permanent.
 * Returns 'done' when the record already says registered, 'now' when registered inline (the
 * caller records it), 'child' when a child did.
 */
export async function ensureRegistered(
  deps: ProcessorDeps,
  job: Job<BootstrapJobData>,
  rec: BootstrapRecord,
  cred: DmCredentials,
  token?: string,
): Promise<'done' | 'now' | 'child'> {
  if (rec.registeredAt) return 'done';
  const waitForChild = async () => {
    if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  };
  // Only a re-run (or a later round) can have a pending child from an earlier run: keep waiting for it.
  if (job.attemptsStarted !== 1 || rec.round > 1) await waitForChild();
  try {
    await registerBootstrap(
      { store: deps.store, target: deps.dm.target, serverId: deps.config.dmServer.id },
      rec,
      cred,
    );
    return 'now';
  } catch (err) {
    if (!isBootlineError(err, 'DM_REGISTRATION_UNAVAILABLE')) throw err;
    deps.logger.warn(
      { bootstrapId: rec.id, err: err.message },
      'dm registration failed; retrying through the dm-register queue',
    );
  }
  const parent = { id: job.id!, queue: job.queueQualifiedName };
  await addJob(
    deps.dm.queue,
    QUEUES.dmRegister,
    { bootstrapId: rec.id, round: rec.round },
    registerJobId(rec.id, rec.round),
    { parent },
  );
  await waitForChild();
  // The child finished between add and wait: it either registered or failed this bootstrap.
  if (!(await deps.store.get(rec.id))?.registeredAt)
    throw new BootlineError('DM_REGISTRATION_UNAVAILABLE', 'registration not done yet');
  return 'child';
}
