import { createHash } from 'node:crypto';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { submitAddress, submitFields, type SubmitFields } from '../codec/sms/submit-fields.js';
import { encodeTextParts } from '../codec/sms/text.js';
import type { Logger } from '../platform/logger.js';
import { maskPhone } from '../platform/mask.js';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import { seal, unseal } from '../platform/seal.js';
import { addJob, QUEUES, type TextSmsJobData } from '../queues/catalogue.js';
import { toJobError } from '../queues/job-error.js';

/**
 * Owns text SMS (one-time codes): they go through their own queue and the same SMPP
 * transport as the pushes. The text and the number are sealed in the job: a one-time code
 * and a full phone number must not sit in clear in Redis or bull-board.
 */

/** Queues one text SMS; `id` (no ':') makes it idempotent, e.g. `otp-<CallSid>-<n>`. */
export async function enqueueTextSms(
  deps: { queue: Queue<TextSmsJobData> },
  input: { id: string; to: string; text: string; sealKey: Buffer },
): Promise<void> {
  const data = {
    to: maskPhone(input.to),
    toSealed: seal(input.sealKey, input.to, `${input.id}:to`),
    textSealed: seal(input.sealKey, input.text, input.id),
  };
  await addJob(deps.queue, QUEUES.textSms, data, input.id);
}

/** Opens a text SMS job (the simulator's inbox and the worker both need it). */
export function openTextSms(key: Buffer, id: string, data: TextSmsJobData): { to: string; text: string } | null {
  const text = unseal(key, data.textSealed, id);
  const to = unseal(key, data.toSealed, `${id}:to`);
  return text === null || to === null ? null : { to, text };
}

/**
 * Sends every part of a (possibly concatenated) text. Parts the SMSC accepted are recorded
 * like push segments, so a retried job never sends a part twice.
 */
export function createTextSmsProcessor(deps: {
  readonly sealKey: Buffer;
  readonly sourceAddr: string;
  readonly submit: (fields: SubmitFields) => Promise<{ messageId: string }>;
  readonly logger: Logger;
  readonly redis: Redis;
  /** Pauses the text queue for `ms` when the SMSC or SMPP_TOTAL_TPS says slow down. */
  readonly rateLimit?: (ms: number) => Promise<void>;
}) {
  return async (job: Job<TextSmsJobData>): Promise<{ messageIds: string[] }> => {
    const id = job.id ?? '';
    const sms = openTextSms(deps.sealKey, id, job.data);
    if (sms === null) throw new UnrecoverableError('text SMS job cannot be unsealed');
    const segKey = KEYS.textSegments(id);
    try {
      const parts = encodeTextParts(sms.text, createHash('sha256').update(id).digest()[0]!);
      const done = await deps.redis.hgetall(segKey);
      const address = submitAddress(deps.sourceAddr, sms.to);
      for (const [i, p] of parts.entries()) {
        if (done[i] !== undefined) continue;
        const { messageId } = await deps.submit(submitFields(p, address));
        done[i] = messageId;
        await deps.redis
          .pipeline()
          .hset(segKey, String(i), messageId)
          .expire(segKey, 7 * 24 * 3600)
          .exec();
      }
      const messageIds = parts.map((_, i) => done[i]!);
      deps.logger.info({ to: maskPhone(sms.to), parts: parts.length, smscIds: messageIds }, 'text SMS submitted');
      return { messageIds };
    } catch (err) {
      throw await toJobError(err, deps.rateLimit ? { rateLimit: deps.rateLimit } : {});
    }
  };
}
