import { UnrecoverableError, type Job, type JobsOptions, type Queue } from 'bullmq';
import { isBootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import { maskPhone } from '../lib/mask.js';
import { seal, unseal } from '../lib/seal.js';
import type { SubmitFields } from '../push/smpp-client.js';
import { encodeText } from '../push/text.js';

/** Text SMS (one-time codes) go through their own queue and the same SMPP transport. */
export const TEXT_SMS_QUEUE = 'sms';
export const TEXT_SMS_JOB = 'text';

/** The text is sealed: a one-time code must not sit in clear in Redis or bull-board. */
export interface TextSmsJobData {
  readonly to: string;
  readonly textSealed: string;
}

const OPTIONS: JobsOptions = {
  // A code is useless after its 5-minute expiry: retry briefly, then give up.
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Queues one text SMS; `id` (no ':') makes it idempotent, e.g. `otp-<CallSid>-<n>`. */
export async function enqueueTextSms(deps: { queue: Queue<TextSmsJobData> }, input: { id: string; to: string; text: string; sealKey: Buffer }): Promise<void> {
  await deps.queue.add(TEXT_SMS_JOB, { to: input.to, textSealed: seal(input.sealKey, input.text, input.id) }, { ...OPTIONS, jobId: input.id });
}

export function createTextSmsProcessor(deps: {
  readonly sealKey: Buffer;
  readonly sourceAddr: string;
  readonly submit: (fields: SubmitFields) => Promise<{ messageId: string }>;
  readonly logger: Logger;
}) {
  return async (job: Job<TextSmsJobData>): Promise<{ messageId: string }> => {
    const text = unseal(deps.sealKey, job.data.textSealed, job.id ?? '');
    if (text === null) throw new UnrecoverableError('text SMS job cannot be unsealed');
    const numeric = /^\d+$/.test(deps.sourceAddr);
    try {
      const { dataCoding, octets } = encodeText(text);
      const { messageId } = await deps.submit({
        source_addr: deps.sourceAddr, source_addr_ton: numeric ? 1 : 5, source_addr_npi: numeric ? 1 : 0,
        destination_addr: job.data.to.replace(/^\+/, ''), dest_addr_ton: 1, dest_addr_npi: 1,
        esm_class: 0x00, data_coding: dataCoding, registered_delivery: 0, short_message: octets,
      });
      deps.logger.info({ to: maskPhone(job.data.to), smscId: messageId }, 'text SMS submitted');
      return { messageId };
    } catch (err) {
      if (isBootlineError(err) && err.retry === 'permanent') throw new UnrecoverableError(`${err.code}: ${err.message}`);
      throw err;
    }
  };
}
