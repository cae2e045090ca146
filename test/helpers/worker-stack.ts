import { Worker } from 'bullmq';
import { DevSmsc, type DevSmscOptions } from '../../src/dev-smsc/server.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';
import { createRedis } from '../../src/lib/redis.js';
import { createReceiptHandler } from '../../src/push/receipts.js';
import { SmppClient } from '../../src/push/smpp-client.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../../src/queue/jobs.js';
import { createBootstrapProcessor } from '../../src/queue/processor.js';
import { BootstrapStore } from '../../src/queue/store.js';
import { createTextSmsProcessor, TEXT_SMS_QUEUE, type TextSmsJobData } from '../../src/queue/text-sms.js';
import { testConfig } from './stack.js';

export interface WorkerStack {
  readonly smsc: DevSmsc;
  readonly client: SmppClient;
  readonly worker: Worker<BootstrapJobData>;
  close(): Promise<void>;
}

/** The worker side plus a dev SMSC on a free loopback port. */
export async function workerStack(redisUrl: string, opts: { prefix: string; smsc?: Partial<DevSmscOptions>; logger?: Logger }): Promise<WorkerStack> {
  const logger = opts.logger ?? silentLogger();
  const smsc = new DevSmsc({ logger, receiptDelayMs: 20, ...opts.smsc });
  const port = await smsc.listen(0);
  const config = testConfig(redisUrl, `smpp://${smsc.systemId}:${smsc.password}@127.0.0.1:${port}`);
  const redis = createRedis(redisUrl, 'patient');
  const [jobConn, textConn] = [createRedis(redisUrl, 'patient'), createRedis(redisUrl, 'patient')];
  const store = new BootstrapStore(redis, config.dataEncryptionKey);
  const client = new SmppClient({ target: config.smpp, logger, responseTimeoutMs: 2_000 });
  const onReceipt = createReceiptHandler({ store, logger });
  client.on('receipt', (r) => void onReceipt(r));
  client.start();
  const worker: Worker<BootstrapJobData> = new Worker<BootstrapJobData>(BOOTSTRAP_QUEUE,
    createBootstrapProcessor({ config, store, logger, submit: (f) => client.submit(f), rateLimit: (ms) => worker.rateLimit(ms) }),
    { prefix: opts.prefix, connection: jobConn, concurrency: 5 });
  worker.on('error', () => undefined);
  const textWorker = new Worker<TextSmsJobData>(TEXT_SMS_QUEUE,
    createTextSmsProcessor({ sealKey: config.dataEncryptionKey, sourceAddr: config.sms.sourceAddr, submit: (f) => client.submit(f), logger }),
    { prefix: opts.prefix, connection: textConn, concurrency: 5 });
  textWorker.on('error', () => undefined);
  return {
    smsc, client, worker,
    close: async () => { await Promise.all([worker.close(), textWorker.close()]); await client.close(); await smsc.close(); for (const c of [redis, jobConn, textConn]) c.disconnect(); },
  };
}

