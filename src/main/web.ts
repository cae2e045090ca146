import { once } from 'node:events';
import { Queue } from 'bullmq';
import { createApp } from '../http/app.js';
import { createLogger } from '../lib/logger.js';
import { createRedis, QUEUE_PREFIX, redisReachable } from '../lib/redis.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../queue/jobs.js';
import { enqueueBootstrap } from '../queue/producer.js';
import { BootstrapStore } from '../queue/store.js';
import { CallStateStore } from '../voice/call-state.js';
import { VoiceEngine } from '../voice/engine.js';
import { FlowRegistry } from '../voice/registry.js';
import { configOrExit, onShutdown } from './boot.js';

// Composition root of the web process: the only place that reads env, opens sockets and
// handles signals. Everything it wires is built by factories that tests use directly.
const config = configOrExit('web');
const logger = createLogger({ level: config.logLevel, name: 'web' });
const flows = FlowRegistry.fromDirectory(config.flowsDir);
const redis = createRedis(config.redisUrl, 'fast');
const queueRedis = createRedis(config.redisUrl, 'fast', { connectionName: 'bootline-web-queue' });
const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix: QUEUE_PREFIX, connection: queueRedis });
queue.on('error', (err) => logger.warn({ err: err.message }, 'queue connection error'));
const store = new BootstrapStore(redis, config.dataEncryptionKey);

const engine = new VoiceEngine({
  flows,
  calls: new CallStateStore(redis),
  services: {
    publicBaseUrl: config.publicBaseUrl, pinLength: config.pinLength, sealKey: config.dataEncryptionKey, logger,
    enqueueBootstrap: (input) => enqueueBootstrap({ queue, store }, input),
  },
});

const app = createApp({
  config, logger, engine,
  readiness: async () => ({ redis: await redisReachable(redis), queue: await redisReachable(queueRedis) }),
});

const server = app.listen(config.port, () => {
  logger.info({ port: config.port, publicBaseUrl: config.publicBaseUrl, flows: flows.ids() }, 'web listening');
});
server.keepAliveTimeout = 65_000;

onShutdown(logger, config.shutdownTimeoutMs, [
  ['http', async () => { server.close(); server.closeIdleConnections(); await once(server, 'close'); }],
  ['queue', async () => { await queue.close(); await queueRedis.quit(); }],
  ['redis', () => redis.quit()],
]);
