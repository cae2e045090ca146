import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { createApp } from '../app/http.js';
import { createLogger } from '../platform/logger.js';
import { createRedis, redisReachable } from '../platform/redis/client.js';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../queues/jobs.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { enqueueTextSms, TEXT_SMS_QUEUE, type TextSmsJobData } from '../deliveries/text-sms.js';
import { isBootlineError } from '../errors.js';
import { DM_REGISTER_QUEUE } from '../deliveries/run/register-job.js';
import { readSmscHealth } from '../smpp/heartbeat.js';
import { createVoiceEngine } from '../voice/create.js';
import { FlowRegistry } from '../voice/registry.js';
import { watchFlows } from '../voice/watch.js';
import { FlowAdmin } from '../console/flows/service.js';
import { configOrExit, onShutdown } from './boot.js';
import { createAgentSupport, type AgentSupport } from '../agents/create.js';
import { AGENT_WEBHOOK_QUEUE } from '../agents/webhook.js';
import { copyLogger, forkCopies, supervising } from './fork.js';
import { createDoors } from '../doors/create.js';
import { interimIntake } from '../doors/interim/intake-adapter.js';
import { DEFAULT_DOORS } from '../config/doors.js';
import { BATCH_QUEUE, type BatchJobData } from '../doors/batch/runner.js';
import { flowCatalogue } from '../app/setup-catalogue.js';

// Composition root of the web process: the only place that reads env, opens sockets and
// handles signals. Everything it wires is built by factories that tests use directly.
const config = configOrExit('web');
const logger = copyLogger(createLogger({ level: config.logLevel, name: 'web' }));
// WEB_CONCURRENCY > 1: this process only supervises that many copies sharing the port, and
// goes no further (each copy runs the rest of this file).
if (forkCopies('web', config.processes.web, logger, config.shutdownTimeoutMs)) await supervising();
const flows = loadFlowsOrExit(config.flowsDir);
// Auto-pipelining batches the call-state reads and writes of concurrent webhooks into one
// write per event-loop tick: ~20% more webhooks per second under load (npm run bench).
const redis = createRedis(config, 'fast', { enableAutoPipelining: true });
const queueRedis = createRedis(config, 'fast', { connectionName: 'bootline-web-queue' });
const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
queue.on('error', (err) => logger.warn({ err: err.message }, 'queue connection error'));
const smsQueue = new Queue<TextSmsJobData>(TEXT_SMS_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
smsQueue.on('error', (err) => logger.warn({ err: err.message }, 'sms queue connection error'));
const store = new BootstrapStore(redis, config.dataEncryptionKey);
// Only for the dashboard and the dead-letter view; the worker adds its jobs.
const dmQueue = new Queue(DM_REGISTER_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
dmQueue.on('error', (err) => logger.warn({ err: err.message }, 'dm queue connection error'));
// Agent webhooks (worker side), shown on the dashboard and in the dead-letter view.
const agentHookQueue = new Queue(AGENT_WEBHOOK_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
agentHookQueue.on('error', (err) => logger.warn({ err: err.message }, 'agent webhook queue connection error'));

// --- doors (src/doors): every way in asks one intake; on today's deliveries through the interim adapter ---
const batchQueue = new Queue<BatchJobData>(BATCH_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
batchQueue.on('error', (err) => logger.warn({ err: err.message }, 'batch queue connection error'));
const doors = createDoors({
  redis,
  intake: interimIntake({
    queue,
    store,
    redis,
    pinLength: config.pinLength,
    pushSecurity: config.security.pushSecurity,
  }),
  store,
  tokens: config.apiTokens,
  dataKey: config.dataEncryptionKey,
  limits: config.security.limits,
  destination: config.security.destination,
  config: config.doors ?? DEFAULT_DOORS,
  logger,
  batchQueue,
  setup: {
    catalogue: flowCatalogue(flows, 'bootstrap'),
    sendText: (i) => enqueueTextSms({ queue: smsQueue }, { ...i, sealKey: config.dataEncryptionKey }),
  },
});
const batchWorker = doors.startBatchWorker({ redis: config, prefix: QUEUE_PREFIX, lockMs: config.worker.lockMs });
// --- end doors ---

// Support agents (hand-ins, cold-transfer codes); built after the engine, which it drives.
let agent: AgentSupport | null = null;
const engine = createVoiceEngine({
  redis,
  flows,
  limits: config.security.limits,
  services: {
    publicBaseUrl: config.publicBaseUrl,
    pinLength: config.pinLength,
    sealKey: config.dataEncryptionKey,
    logger,
    enqueueBootstrap: doors.hotline,
    sendText: (i) =>
      enqueueTextSms({ queue: smsQueue }, { id: i.id, to: i.to, text: i.text, sealKey: config.dataEncryptionKey }),
    bootstrapStatus: async (id) => (await store.get(id))?.status ?? null,
    redeemTransferCode: (callSid, code) => agent!.service.redeemCode(callSid, code),
  },
});
agent = createAgentSupport({
  redis,
  flows,
  engine,
  dataKey: config.dataEncryptionKey,
  publicBaseUrl: config.publicBaseUrl,
  authToken: config.twilioAuthToken,
  agent: config.agent,
  logger,
});
const flowWatcher = config.flowsReload === 'watch' ? watchFlows(config.flowsDir, flows, logger) : null;
// Operator console: drafts and revisions beside the flow files (FLOWS_DIR/.history); hand
// edits the watcher sees are recorded as revisions. History starts with what is live now.
const flowAdmin = new FlowAdmin({ flowsDir: config.flowsDir, registry: flows, logger });
if (flowWatcher) flowAdmin.attach(flowWatcher);
try {
  flowAdmin.list();
} catch (err) {
  logger.warn({ err: (err as Error).message }, 'flow history not writable; console publishing will fail');
}

const app = createApp({
  config,
  logger,
  engine,
  readiness: async () => ({ redis: await redisReachable(redis), queue: await redisReachable(queueRedis) }),
  pipelineHealth: async () => ({ ...(await readSmscHealth(redis)) }),
  api: {
    tokens: config.apiTokens,
    store,
    bootstrapQueue: queue,
    queues: [queue, dmQueue, smsQueue, agentHookQueue, batchQueue],
  },
  agent: { tokens: config.apiTokens, service: agent.service, transfers: agent.transfers, store },
  doors: doors.routes,
  console: {
    admin: flowAdmin,
    registry: flows,
    tokens: config.apiTokens,
    secret: config.dataEncryptionKey,
    redis,
    store,
    bootstrapQueue: queue,
    smsQueue,
    selfUrl: () => `http://127.0.0.1:${(own.address() as AddressInfo).port}`,
  },
});

const server = app.listen(config.port, () => {
  logger.info({ port: config.port, publicBaseUrl: config.publicBaseUrl, flows: flows.ids() }, 'web listening');
});
server.keepAliveTimeout = 65_000;
// The console's simulated calls post their webhooks to this process alone (a draft being tried
// lives in this process's registry): a loopback port of its own, not shared with the other
// copies (`exclusive`: node:cluster would otherwise hand the connection to any of them).
const own = createServer(app).listen({ port: 0, host: '127.0.0.1', exclusive: true });

onShutdown(logger, config.shutdownTimeoutMs, [
  [
    'http',
    async () => {
      for (const s of [server, own]) {
        s.close();
        s.closeIdleConnections();
      }
      await Promise.all([once(server, 'close'), once(own, 'close')]);
    },
  ],
  ['flows', async () => flowWatcher?.close()],
  ['batches', () => batchWorker.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.3)))],
  [
    'queue',
    async () => {
      await queue.close();
      await smsQueue.close();
      await dmQueue.close();
      await agentHookQueue.close();
      await batchQueue.close();
      await queueRedis.quit();
    },
  ],
  ['redis', () => redis.quit()],
]);

/** A bad flow file stops the web process with every problem listed (file:line path: message). */
function loadFlowsOrExit(dir: string): FlowRegistry {
  try {
    return FlowRegistry.fromDirectory(dir);
  } catch (err) {
    if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
    process.stderr.write(`bootline web: ${err.message}\n`);
    process.exit(1);
  }
}
