import type { Queue } from 'bullmq';
import { BootlineError } from '../errors.js';
import { addJob, QUEUES, type BootstrapJobData } from '../queues/catalogue.js';
import { bootstrapIdForCall } from './ids.js';
import type { BootstrapStore } from './store/store.js';

export interface EnqueueInput {
  readonly callSid: string;
  readonly msisdn: string;
  readonly flowId: string;
  readonly pin: string;
}

/**
 * Owns a bootstrap's start: creates its record and queues its push job. Idempotent per call:
 * the record is created once and the job id equals the bootstrap id, so a replayed webhook is
 * a no-op.
 */
export async function enqueueBootstrap(
  deps: { queue: Queue<BootstrapJobData>; store: BootstrapStore },
  input: EnqueueInput,
): Promise<{ bootstrapId: string; created: boolean }> {
  const bootstrapId = bootstrapIdForCall(input.callSid);
  try {
    const created = await deps.store.create({
      id: bootstrapId,
      msisdn: input.msisdn,
      flowId: input.flowId,
      pin: input.pin,
    });
    await addJob(deps.queue, QUEUES.bootstrap, { bootstrapId }, bootstrapId);
    return { bootstrapId, created };
  } catch (err) {
    throw new BootlineError('QUEUE_UNAVAILABLE', 'could not queue the bootstrap', { bootstrapId }, { cause: err });
  }
}
