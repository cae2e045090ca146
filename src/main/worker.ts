import { Worker } from 'bullmq';
import { createLogger } from '../lib/logger.js';
import { createRedis, QUEUE_PREFIX } from '../lib/redis.js';
import { createReceiptHandler } from '../push/receipts.js';
import { SmppClient } from '../push/smpp-client.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../queue/jobs.js';
import { createBootstrapProcessor } from '../queue/processor.js';
import { BootstrapStore } from '../queue/store.js';
import { createTextSmsProcessor, TEXT_SMS_QUEUE, type TextSmsJobData } from '../queue/text-sms.js';
import { configOrExit, onShutdown } from './boot.js';

// Composition root of the worker process (see web.ts).
const config = configOrExit('worker');
const logger = createLogger({ level: config.logLevel, name: 'worker' });
const redis = createRedis(config.redisUrl, 'patient');
const store = new BootstrapStore(redis, config.dataEncryptionKey);
const smsc = new SmppClient({ target: config.smpp, logger });
const onReceipt = createReceiptHandler({ store, logger });
smsc.on('receipt', (r) => { onReceipt(r).catch((err: Error) => logger.warn({ err: err.message }, 'receipt handling failed')); });
smsc.start();

const worker: Worker<BootstrapJobData> = new Worker<BootstrapJobData>(
  BOOTSTRAP_QUEUE,
  createBootstrapProcessor({ config, store, logger, submit: (f) => smsc.submit(f), rateLimit: (ms) => worker.rateLimit(ms) }),
  { prefix: QUEUE_PREFIX, connection: createRedis(config.redisUrl, 'patient', { connectionName: 'bootline-worker' }), concurrency: 10 },
);
worker.on('error', (err) => logger.warn({ err: err.message }, 'worker error'));
const textWorker = new Worker<TextSmsJobData>(
  TEXT_SMS_QUEUE,
  createTextSmsProcessor({ sealKey: config.dataEncryptionKey, sourceAddr: config.sms.sourceAddr, submit: (f) => smsc.submit(f), logger }),
  { prefix: QUEUE_PREFIX, connection: createRedis(config.redisUrl, 'patient', { connectionName: 'bootline-worker-sms' }), concurrency: 10 },
);
textWorker.on('error', (err) => logger.warn({ err: err.message }, 'text worker error'));
worker.on('failed', (job, err) => logger.warn({ bootstrapId: job?.data.bootstrapId, attempts: job?.attemptsMade, err: err.message }, 'push attempt failed'));
logger.info({ smsc: `${config.smpp.host}:${config.smpp.port}` }, 'worker started');

onShutdown(logger, config.shutdownTimeoutMs, [
  // worker.close() waits for active jobs and never times out by itself (bullmq#4656): the
  // shutdown guard bounds it.
  ['worker', () => Promise.all([worker.close(), textWorker.close()])],
  ['smpp', () => smsc.close()],
  ['redis', () => redis.quit()],
]);
