import { createLogger } from '../platform/logger.js';
import { createRedis } from '../platform/redis/client.js';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import { startSmscHeartbeat } from '../smpp/heartbeat.js';
import { createReceiptHandler } from '../deliveries/receipts/handler.js';
import { SmppClient } from '../smpp/client.js';
import { pushWorkerOptions } from '../queues/catalogue.js';
import { SmscRefIndex } from '../deliveries/receipts/smsc-ref-index.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { startPushWorkers } from '../deliveries/workers.js';
import { httpSubscriberLookup } from '../subscriber/lookup.js';
import { configOrExit, onShutdown } from './boot.js';
import { AgentNotifier } from '../agents/notifier.js';
import { TransferStore } from '../agents/transfers.js';
import { WatchList } from '../agents/watch-list.js';
import { copyLogger, forkCopies, supervising } from './fork.js';

// Composition root of the worker process (see web.ts).
const config = configOrExit('worker');
if (!config.dmRegister) {
  process.stderr.write(
    'bootline worker: invalid configuration:\n' +
      '  DM_REGISTER_URL, DM_REGISTER_SECRET: required by the worker (the dev stack runs a local DM stand-in)\n',
  );
  process.exit(1);
}
const logger = copyLogger(createLogger({ level: config.logLevel, name: 'worker' }));
// WORKER_PROCESSES > 1: supervise that many copies (each with its own SMPP binds) instead.
if (forkCopies('worker', config.processes.worker, logger, config.shutdownTimeoutMs)) await supervising();
// Auto-pipelining: commands of concurrent jobs and receipts issued in one tick share one write (issue 9).
const redis = createRedis(config, 'patient', { enableAutoPipelining: true });
const store = new BootstrapStore(redis, config.dataEncryptionKey);
const refs = new SmscRefIndex();
const smsc = new SmppClient({
  target: config.smpp,
  logger,
  ...config.smppTransport,
  onReceipt: createReceiptHandler({ store, logger, refs }),
});
smsc.start();
const heartbeat = startSmscHeartbeat(redis, () => smsc.status());
const subscribers = config.security.subscriberLookup
  ? httpSubscriberLookup(config.security.subscriberLookup)
  : undefined;
const workers = startPushWorkers({
  redisUrl: config,
  prefix: QUEUE_PREFIX,
  logger,
  config,
  dmTarget: config.dmRegister,
  smsc,
  store,
  redis,
  refs,
  ...(subscribers ? { subscribers } : {}),
});
// Support agents: the contact centre hears about bootstraps its agents started (AGENT_WEBHOOK_URL).
const agentHook = config.agent?.webhook
  ? new AgentNotifier({
      redisUrl: config,
      prefix: QUEUE_PREFIX,
      webhook: config.agent.webhook,
      transfers: new TransferStore(redis),
      watch: new WatchList(redis),
      store,
      logger,
    }).start()
  : null;
logger.info(
  { smsc: `${config.smpp.host}:${config.smpp.port}`, ...config.smppTransport, ...pushWorkerOptions(config.worker) },
  'worker started',
);

onShutdown(logger, config.shutdownTimeoutMs, [
  // Draining gets most of the budget (then it is forced: active jobs' locks lapse and the
  // stalled check re-runs them elsewhere), so the SMPP unbind and Redis quit still happen.
  ['worker', () => workers.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.6)))],
  ['heartbeat', () => heartbeat.stop()],
  ['agent-webhook', async () => agentHook?.close()],
  ['smpp', () => smsc.close()],
  ['redis', () => redis.quit()],
]);
