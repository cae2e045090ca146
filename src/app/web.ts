import type { Queue } from 'bullmq';
import type { Express } from 'express';
import { createAgentStores, createAgentSupport, type AgentSupport } from '../agents/create.js';
import type { Config } from '../config/config.js';
import { FlowAdmin } from '../console/flows/service.js';
import type { BootstrapRequest, IntakeDeps, IntakeResult } from '../deliveries/intake.js';
import { outcomeCounts } from '../deliveries/store/outcome-store.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { deviceProfilesOf } from '../config/device-profiles.js';
import { clearBootstrapOutcomeSource, setBootstrapOutcomeSource, type MetricSource } from '../platform/metrics.js';
import { enqueueTextSms } from '../deliveries/text-sms.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createRedis, redisReachable, type RedisClient } from '../platform/redis/client.js';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import {
  openQueue,
  QUEUES,
  type BootstrapJobData,
  type BatchJobData,
  type DmRegisterJobData,
  type TextSmsJobData,
} from '../queues/catalogue.js';
import type { Doors } from '../doors/create.js';
import { startBatches, webDoors } from './doors.js';
import { readSmscHealth } from '../smpp/heartbeat.js';
import { createVoiceEngine } from '../voice/create.js';
import type { VoiceEngine } from '../voice/engine.js';
import { voiceRoutes } from '../voice/http/webhooks.js';
import { FlowRegistry } from '../voice/registry.js';
import { watchFlows, type FlowWatcher } from '../voice/watch.js';
import { createApp, createListener, type RequestListener } from './http.js';
import { createLifecycle, type LifecycleParts } from './lifecycle.js';
import { closeRedis, runSteps, type ShutdownStep } from './shutdown.js';

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

export interface WebQueues {
  readonly bootstrap: Queue<BootstrapJobData>;
  readonly textSms: Queue<TextSmsJobData>;
  /** Added to by the worker; here for the dashboard and the dead-letter view. */
  readonly dmRegister: Queue<DmRegisterJobData>;
  /** Batches of the bulk API, run by the batch worker (web processes). */
  readonly batch: Queue<BatchJobData>;
}

/** Everything a web process runs, built one way for main/web.ts, the tests and the bench. */
export interface Web {
  readonly config: Config;
  readonly logger: Logger;
  /** Call state, codes, records: auto-pipelined (concurrent webhooks share one write per tick). */
  readonly redis: RedisClient;
  /** The queues' connection. */
  readonly queueRedis: RedisClient;
  readonly queues: WebQueues;
  readonly store: BootstrapStore;
  readonly flows: FlowRegistry;
  readonly engine: VoiceEngine;
  readonly agent: AgentSupport;
  /** The self-service page, the point-of-sale and bulk API, network events: one guarded intake. */
  readonly doors: Doors;
  readonly flowAdmin: FlowAdmin;
  /** Follow-up of transitions made here (intake, retries, DM session signals): outbound events. */
  readonly lifecycle: LifecycleParts;
  /** The intake every door calls (deliveries/intake.ts), bound to this process's store, queue and follow-up. */
  readonly requestBootstrap: (req: BootstrapRequest) => Promise<IntakeResult>;
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

/** The Express app over the parts: health, the delivery API and dashboard, agents, the console. */
function expressApp(p: Omit<Web, 'app' | 'listener' | 'shutdown' | 'close'>, selfUrl: () => string): Express {
  const { config, logger, redis, queueRedis, queues, store } = p;
  return createApp({
    config,
    logger,
    readiness: async () => ({ redis: await redisReachable(redis), queue: await redisReachable(queueRedis) }),
    pipelineHealth: async () => ({ ...(await readSmscHealth(redis)) }),
    api: {
      tokens: config.apiTokens,
      store,
      bootstrapQueue: queues.bootstrap,
      queues: [
        queues.bootstrap,
        queues.dmRegister,
        queues.textSms,
        queues.batch,
        p.lifecycle.queues.enrolment,
        p.lifecycle.queues.events,
      ],
      followUp: p.lifecycle.followUp,
      ...(config.dmRegister
        ? {
            dmSessions: {
              secret: config.dmRegister.secret,
              serverId: config.dmServer.id,
              store,
              redis,
              followUp: p.lifecycle.followUp,
              logger,
            },
          }
        : {}),
    },
    agent: { tokens: config.apiTokens, service: p.agent.service, transfers: p.agent.transfers, store },
    doors: p.doors.routes,
    console: {
      admin: p.flowAdmin,
      registry: p.flows,
      tokens: config.apiTokens,
      secret: config.dataEncryptionKey,
      redis,
      store,
      bootstrapQueue: queues.bootstrap,
      smsQueue: queues.textSms,
      eventsQueue: p.lifecycle.queues.events,
      batches: { store: p.doors.batches, intake: p.doors.intake },
      logger,
      ...(config.traces ? { traceDays: config.traces.days } : {}),
      ...(config.simHandsetUrl ? { handsetUrl: config.simHandsetUrl } : {}),
      selfUrl,
    },
  });
}

/**
 * The voice engine and support agents. The agents' stores and hand-in links come first: the
 * engine redeems cold-transfer codes with them, and the agent service, which drives the
 * engine for hand-ins, is built after it.
 */
function voiceAndAgents(
  config: Config,
  d: {
    redis: RedisClient;
    flows: FlowRegistry;
    logger: Logger;
    store: BootstrapStore;
    queues: WebQueues;
    doors: Doors;
  },
): { engine: VoiceEngine; agent: AgentSupport } {
  const common = { dataKey: config.dataEncryptionKey, publicBaseUrl: config.publicBaseUrl, logger: d.logger };
  const stores = createAgentStores({ redis: d.redis, ...common });
  const sealKey = config.dataEncryptionKey;
  const engine = createVoiceEngine({
    redis: d.redis,
    flows: d.flows,
    limits: config.security.limits,
    ...(config.traces ? { traceDays: config.traces.days, testCallers: config.traces.testCallers } : {}),
    services: {
      publicBaseUrl: config.publicBaseUrl,
      pinLength: config.pinLength,
      sealKey,
      logger: d.logger,
      // Every door asks the one guarded intake (destination policy, SIM-swap blocks): the hotline too.
      requestBootstrap: d.doors.hotline,
      sendText: (i) => enqueueTextSms({ queue: d.queues.textSms }, { id: i.id, to: i.to, text: i.text, sealKey }),
      bootstrapStatus: async (id) => (await d.store.status(id)) ?? null,
      enrolmentTracked: config.lifecycle.enrolmentWindowS > 0,
      bootstrapState: (id) => d.store.stateAndCause(id),
      redeemTransferCode: (callSid, code) => stores.links.redeemCode(callSid, code),
      ...(config.agent?.workflowSid ? { taskRouterWorkflowSid: config.agent.workflowSid } : {}),
    },
  });
  const agent = createAgentSupport({
    stores,
    flows: d.flows,
    engine,
    authToken: config.twilioAuthToken,
    agent: config.agent,
    ...common,
  });
  return { engine, agent };
}

/**
 * The console's flow admin: drafts and revisions beside the flow files (FLOWS_DIR/.history);
 * hand edits the hot-reload watcher sees are recorded as revisions. History starts with what
 * is live now.
 */
function flowAdministration(
  config: Config,
  flows: FlowRegistry,
  logger: Logger,
): { flowAdmin: FlowAdmin; watcher: FlowWatcher | null } {
  const watcher = config.flowsReload === 'watch' ? watchFlows(config.flowsDir, flows, logger) : null;
  const flowAdmin = new FlowAdmin({ flowsDir: config.flowsDir, registry: flows, logger });
  if (watcher) flowAdmin.attach(watcher);
  try {
    flowAdmin.list();
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'flow history not writable; console publishing will fail');
  }
  return { flowAdmin, watcher };
}

async function closeQueues(queues: WebQueues, connection: RedisClient): Promise<void> {
  for (const q of Object.values(queues)) await q.close();
  await closeRedis(connection);
}
