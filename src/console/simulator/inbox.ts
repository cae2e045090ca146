import { Queue } from 'bullmq';
import { createRedis } from '../../platform/redis/client.js';
import { openTextSms } from '../../deliveries/text-sms.js';
import { QUEUES, type TextSmsJobData } from '../../queues/catalogue.js';
import { OTP_POLICY, otpSmsId } from '../../voice/otp.js';

/** A text SMS that reached the SMSC. */
export interface Sms {
  readonly to: string;
  readonly text: string;
}

/** Where the simulator looks for the SMS a call caused (the one-time code). */
export interface SmsInbox {
  /** Every text SMS for this call so far, oldest first. */
  texts(callSid: string): Promise<Sms[]>;
  close?(): Promise<void>;
}

/**
 * Reads the text-SMS queue of a running bootline (the `bootline call` CLI, another process
 * than the dev SMSC): a job counts once the worker completed it, i.e. the SMSC accepted the
 * submit_sm. The text is sealed in the job; opening it needs DATA_ENCRYPTION_KEY (the dev
 * stack keeps it in .data/dev-data-key).
 */
export function queueInbox(opts: { redisUrl: string; prefix: string; key: Buffer }): SmsInbox {
  const connection = createRedis(opts.redisUrl, 'fast');
  const queue = new Queue<TextSmsJobData>(QUEUES.textSms.name, { prefix: opts.prefix, connection });
  queue.on('error', () => undefined);
  return {
    async texts(callSid) {
      const out: Sms[] = [];
      for (let n = 1; n <= OTP_POLICY.maxSends; n++) {
        const id = otpSmsId(callSid, n);
        const job = await queue.getJob(id);
        if (!job || !(await job.isCompleted())) continue;
        const sms = openTextSms(opts.key, id, job.data);
        if (sms) out.push(sms);
      }
      return out;
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
