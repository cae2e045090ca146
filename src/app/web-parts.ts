/**
 * The parts of a web process and how they are put together: the voice engine with support
 * agents, the flow admin, and the Express app over them. createWeb (web.ts) builds the
 * connections, queues and stores these take, and owns their shutdown.
 */
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import { createAgentStores, createAgentSupport, type AgentSupport } from '../agents/create.js';
import type { Config } from '../config/config.js';
import { FlowAdmin } from '../console/flows/service.js';
import type { BootstrapRequest, IntakeResult } from '../deliveries/intake.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { enqueueTextSms } from '../deliveries/text-sms.js';
import type { Logger } from '../platform/logger.js';
import { redisReachable, type RedisClient } from '../platform/redis/client.js';
import type { BootstrapJobData, BatchJobData, DmRegisterJobData, TextSmsJobData } from '../queues/catalogue.js';
import type { Doors } from '../doors/create.js';
import { readSmscHealth } from '../smpp/heartbeat.js';
import { createVoiceEngine } from '../voice/create.js';
import type { VoiceEngine } from '../voice/engine.js';
import type { FlowRegistry } from '../voice/registry.js';
import { watchFlows, type FlowWatcher } from '../voice/watch.js';
import { createApp } from './http.js';
import type { LifecycleParts } from './lifecycle.js';

export interface WebQueues {
  readonly bootstrap: Queue<BootstrapJobData>;
  readonly textSms: Queue<TextSmsJobData>;
  /** Added to by the worker; here for the dashboard and the dead-letter view. */
  readonly dmRegister: Queue<DmRegisterJobData>;
  /** Batches of the bulk API, run by the batch worker (web processes). */
  readonly batch: Queue<BatchJobData>;
}

/** What createWeb builds before the app: the app, the console and the listener are made over these. */
export interface WebParts {
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
}

/** The Express app over the parts: health, the delivery API and dashboard, agents, the console. */
export function expressApp(p: WebParts, selfUrl: () => string): Express {
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
export function voiceAndAgents(
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
export function flowAdministration(
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
