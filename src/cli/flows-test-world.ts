import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { DEFAULT_SECURITY } from '../config/security.js';
import { enqueueBootstrap } from '../deliveries/enqueue.js';
import { createReceiptHandler } from '../deliveries/receipts/handler.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { openTextSms, TEXT_SMS_QUEUE, enqueueTextSms, type TextSmsJobData } from '../deliveries/text-sms.js';
import { startPushWorkers } from '../deliveries/workers.js';
import { DmStandIn } from '../dev/dm-server.js';
import { redisServerBinary, startPrivateRedis, type PrivateRedis } from '../dev/redis.js';
import { DevSmsc } from '../dev/smsc/server.js';
import type { Logger } from '../platform/logger.js';
import { createRedis, type RedisClient } from '../platform/redis/client.js';
import { BOOTSTRAP_QUEUE, bootstrapIdForCall, type BootstrapJobData } from '../queues/jobs.js';
import { SmppClient } from '../smpp/client.js';
import { parseSmppUrl } from '../config/config.js';
import { OTP_POLICY, otpSmsId } from '../voice/otp.js';
import type { Delivery } from '../console/flowtests/harness.js';
import type { SmscAnswer } from '../console/flowtests/spec.js';

const RECEIPT: Record<SmscAnswer, 'DELIVRD' | 'UNDELIV' | 'EXPIRED'> = {
  delivered: 'DELIVRD',
  undelivered: 'UNDELIV',
  expired: 'EXPIRED',
};
const PREFIX = '{bl-flowtest}';
const DM_SECRET = 'flow-test-dm-secret-0123456789';

/** A real Redis for the run: a private redis-server (removed afterwards), else REDIS_URL. */
export async function testRedis(
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (!redisServerBinary()) {
    if (!env.REDIS_URL) throw new Error('flow tests need redis-server (apt-get install -y redis-server) or REDIS_URL');
    return { url: env.REDIS_URL, stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bootline-flowtest-'));
  const r: PrivateRedis = await startPrivateRedis({ dir, durable: false });
  return {
    url: r.url,
    stop: async () => {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The CLI's delivery side for flow tests: the whole push pipeline in this process — the
 * bootstrap and text-SMS queues, the push workers (WBXML, SEC/MAC, WSP, SMPP) and a dev SMSC on
 * loopback that answers with the receipt each test asks for, plus the DM stand-in. Codes are
 * read back from the SMS the SMSC accepted, pushes from their records.
 */
export async function pipelineDelivery(o: { redisUrl: string; dataKey: Buffer; logger: Logger }): Promise<Delivery> {
  // The worker side's own connection, as in a worker process (no auto-pipelining: its scripts must land at once).
  const redis: RedisClient = createRedis(o.redisUrl, 'patient');
  const smsc = new DevSmsc({ logger: o.logger, receiptDelayMs: 20 });
  const port = await smsc.listen(0);
  const dm = new DmStandIn({ secret: DM_SECRET, logger: o.logger });
  await dm.listen(0);
  const store = new BootstrapStore(redis, o.dataKey);
  const client = new SmppClient({
    target: parseSmppUrl(`smpp://${smsc.systemId}:${smsc.password}@127.0.0.1:${port}`),
    logger: o.logger,
    responseTimeoutMs: 2_000,
    reconnectMinMs: 20,
    throttlePauseMs: 100,
    onReceipt: createReceiptHandler({ store, logger: o.logger }),
  });
  client.start();
  const workers = startPushWorkers({
    redisUrl: o.redisUrl,
    prefix: PREFIX,
    logger: o.logger,
    config: {
      dmServer: { url: 'https://dm.example.com/dm', id: 'com.example.dm' },
      sms: { sourceAddr: 'BOOTLINE', dataCoding: 0x04 },
      dataEncryptionKey: o.dataKey,
      worker: { concurrency: 5, lockMs: 30_000, maxStalled: 3 },
      security: DEFAULT_SECURITY,
    },
    dmTarget: { url: dm.url, secret: DM_SECRET },
    smsc: client,
    store,
    redis,
  });
  const conn = createRedis(o.redisUrl, 'fast');
  const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix: PREFIX, connection: conn });
  const smsQueue = new Queue<TextSmsJobData>(TEXT_SMS_QUEUE, { prefix: PREFIX, connection: conn });
  return {
    services: {
      enqueueBootstrap: (i) => enqueueBootstrap({ queue, store }, i),
      sendText: (i) => enqueueTextSms({ queue: smsQueue }, { id: i.id, to: i.to, text: i.text, sealKey: o.dataKey }),
      bootstrapStatus: async (id) => (await store.get(id))?.status ?? null,
    },
    async texts(callSid) {
      const out = [];
      for (let n = 1; n <= OTP_POLICY.maxSends; n++) {
        const job = await smsQueue.getJob(otpSmsId(callSid, n));
        if (!job || !(await job.isCompleted())) continue;
        const sms = openTextSms(o.dataKey, job.id!, job.data);
        if (sms) out.push(sms);
      }
      return out;
    },
    async push(callSid) {
      return (await store.get(bootstrapIdForCall(callSid)))?.status ?? null;
    },
    async answer(a) {
      smsc.setFaults({ ...smsc.faults, receiptState: RECEIPT[a] });
    },
    async close() {
      await workers.close(2_000);
      await queue.close();
      await smsQueue.close();
      conn.disconnect();
      redis.disconnect();
      await client.close();
      await smsc.close();
      await dm.close();
    },
  };
}
