import { createLogger } from '../lib/logger.js';
import { createRedis, QUEUE_PREFIX } from '../lib/redis.js';
import { startSmscHeartbeat } from '../push/heartbeat.js';
import { createReceiptHandler } from '../push/receipts.js';
import { SmppClient } from '../push/smpp-client.js';
import { pushWorkerOptions } from '../queue/jobs.js';
import { BootstrapStore } from '../queue/store.js';
import { startPushWorkers } from '../queue/workers.js';
import { configOrExit, onShutdown } from './boot.js';

// Composition root of the worker process (see web.ts).
const config = configOrExit('worker');
if (!config.dmRegister) {
  process.stderr.write('bootline worker: invalid configuration:\n  DM_REGISTER_URL, DM_REGISTER_SECRET: required by the worker (the dev stack runs a local DM stand-in)\n');
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, name: 'worker' });
// Auto-pipelining: commands of concurrent jobs and receipts issued in one tick share one write (issue 9).
const redis = createRedis(config.redisUrl, 'patient', { enableAutoPipelining: true });
const store = new BootstrapStore(redis, config.dataEncryptionKey);
const smsc = new SmppClient({ target: config.smpp, logger, ...config.smppTransport, onReceipt: createReceiptHandler({ store, logger }) });
smsc.start();
const heartbeat = startSmscHeartbeat(redis, () => smsc.status());
const workers = startPushWorkers({ redisUrl: config.redisUrl, prefix: QUEUE_PREFIX, logger, config, dmTarget: config.dmRegister, smsc, store, redis });
logger.info({ smsc: `${config.smpp.host}:${config.smpp.port}`, ...config.smppTransport, ...pushWorkerOptions(config.worker) }, 'worker started');

onShutdown(logger, config.shutdownTimeoutMs, [
  // Draining gets most of the budget (then it is forced: active jobs' locks lapse and the
  // stalled check re-runs them elsewhere), so the SMPP unbind and Redis quit still happen.
  ['worker', () => workers.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.6)))],
  ['heartbeat', () => heartbeat.stop()],
  ['smpp', () => smsc.close()],
  ['redis', () => redis.quit()],
]);
