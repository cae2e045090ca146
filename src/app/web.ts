import type { Express } from 'express';
import type { Config } from '../config/config.js';
import type { IntakeDeps } from '../deliveries/intake.js';
import { outcomeCounts } from '../deliveries/store/outcome-store.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { deviceProfilesOf } from '../config/device-profiles.js';
import { clearBootstrapOutcomeSource, setBootstrapOutcomeSource, type MetricSource } from '../platform/metrics.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createRedis, type RedisClient } from '../platform/redis/client.js';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import { openQueue, QUEUES } from '../queues/catalogue.js';
import { startBatches, webDoors } from './doors.js';
import { voiceRoutes } from '../voice/http/webhooks.js';
import { FlowRegistry } from '../voice/registry.js';
import { createListener, type RequestListener } from './http.js';
import { createLifecycle } from './lifecycle.js';
import { closeRedis, runSteps, type ShutdownStep } from './shutdown.js';
import { expressApp, flowAdministration, voiceAndAgents, type WebParts, type WebQueues } from './web-parts.js';

export type { WebParts, WebQueues } from './web-parts.js';

export interface WebOverrides {
  /** The process's logger (main/web.ts tags a forked copy's); default: one at LOG_LEVEL. */
  readonly logger?: Logger;
  /** Key prefix of the queues; default QUEUE_PREFIX (tests give each file its own). */
  readonly queuePrefix?: string;
  /** The flows to serve instead of FLOWS_DIR's files (tests serve fixtures). */
  readonly flows?: FlowRegistry;
  /**
   * This process's own loopback address, where the console's simulated calls post their
   * webhooks (a draft being tried lives in this process's registry); read when a call starts.
   */
  readonly selfUrl?: () => string;
  /** Run batches in this process (as every web process does); false: tests that run none or their own. */
  readonly batchWorker?: boolean | { readonly lockMs: number };
}

/** Everything a web process runs, built one way for main/web.ts, the tests and the bench. */
export interface Web extends WebParts {
  /** The Express app (every route but Twilio's webhooks). */
  readonly app: Express;
  /** What the HTTP servers serve: Twilio's webhooks first, then the app. */
  readonly listener: RequestListener;
  /** Named steps, in order, that stop what this built (main logs each; the HTTP servers are main's). */
  readonly shutdown: readonly ShutdownStep[];
  close(): Promise<void>;
}

/**
 * Composition root of the web process: Redis connections of the right kind, the queues from
 * the catalogue, the bootstrap store, the voice engine with support agents, the flow admin and
 * console, the delivery API, the Express app and the request listener in front of it. Reads
 * no environment and opens no listening socket (main/web.ts does both). Throws FLOW_INVALID,
 * before connecting anything, when a flow file is invalid.
 */
export function createWeb(config: Config, o: WebOverrides = {}): Web {
  const flows = o.flows ?? FlowRegistry.fromDirectory(config.flowsDir);
  const deviceProfiles = deviceProfilesOf(config, Boolean(config.security.subscriberLookup));
  const logger = o.logger ?? createLogger({ level: config.logLevel, name: 'web' });
  // Auto-pipelining batches the call-state reads and writes of concurrent webhooks into one
  // write per event-loop tick: ~20% more webhooks per second under load (npm run bench).
  const redis = createRedis(config, 'fast', { enableAutoPipelining: true });
  const queueRedis = createRedis(config, 'fast', { connectionName: 'bootline-web-queue' });
  const home = { prefix: o.queuePrefix ?? QUEUE_PREFIX, connection: queueRedis, logger };
  const queues: WebQueues = {
    bootstrap: openQueue(QUEUES.bootstrap, home),
    textSms: openQueue(QUEUES.textSms, home),
    dmRegister: openQueue(QUEUES.dmRegister, home),
    batch: openQueue(QUEUES.batch, home),
  };
  const store = new BootstrapStore(redis, config.dataEncryptionKey);
  const lifecycle = createLifecycle(config, {
    prefix: home.prefix,
    logger,
    store,
    redis,
    kind: 'fast',
    role: 'web',
    queueConnection: queueRedis,
  });
  const intake: IntakeDeps = {
    store,
    queue: queues.bootstrap,
    followUp: lifecycle.followUp,
    defaults: {
      sec: config.security.pushSecurity,
      profile: deviceProfiles.profiles[deviceProfiles.default]!.bootstrap,
      pinLength: config.pinLength,
      dataCoding: config.sms.dataCoding,
    },
    deviceProfiles,
  };
  const outcomes: MetricSource = async () =>
    (await outcomeCounts(redis)).map((r) => ({ labels: { profile: r.profile, outcome: r.outcome }, value: r.count }));
  setBootstrapOutcomeSource(outcomes);
  const doors = webDoors(config, { redis, store, flows, logger, queues, intake });
  const { engine, agent } = voiceAndAgents(config, { redis, flows, logger, store, queues, doors });
  const { flowAdmin, watcher } = flowAdministration(config, flows, logger);
  const parts = {
    config,
    logger,
    redis,
    queueRedis,
    queues,
    store,
    flows,
    engine,
    agent,
    doors,
    flowAdmin,
    lifecycle,
    requestBootstrap: doors.hotline,
  };
  const batches =
    o.batchWorker === false
      ? null
      : startBatches(config, doors, home.prefix, typeof o.batchWorker === 'object' ? o.batchWorker.lockMs : undefined);
  const app = expressApp(parts, o.selfUrl ?? (() => `http://127.0.0.1:${config.port}`));
  const voice = voiceRoutes({
    engine,
    logger,
    authToken: config.twilioAuthToken,
    publicBaseUrl: config.publicBaseUrl,
    defaultFlowId: 'bootstrap',
    signaturePorts: config.security.signaturePorts,
  });
  const shutdown: ShutdownStep[] = [
    ['flows', async () => watcher?.close()],
    ['batches', async () => batches?.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.3)))],
    ['lifecycle', () => lifecycle.close(500)],
    ['queue', async () => closeQueues(queues, queueRedis)],
    ['metrics', async () => clearBootstrapOutcomeSource(outcomes)],
    ['redis', () => closeRedis(redis)],
  ];
  return { ...parts, app, listener: createListener(app, voice), shutdown, close: () => runSteps(shutdown) };
}

async function closeQueues(queues: WebQueues, connection: RedisClient): Promise<void> {
  for (const q of Object.values(queues)) await q.close();
  await closeRedis(connection);
}
