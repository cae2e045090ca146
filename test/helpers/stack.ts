import { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { parseSmppUrl, type Config } from '../../src/config/config.js';
import { DEFAULT_SECURITY } from '../../src/config/security.js';
import { createApp } from '../../src/app/http.js';
import { LIMIT_SCOPES, type AbuseLimits } from '../../src/policy/limits.js';
import { silentLogger, type Logger } from '../../src/platform/logger.js';
import { createRedis, redisReachable } from '../../src/platform/redis/client.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../../src/queues/jobs.js';
import { enqueueBootstrap } from '../../src/deliveries/enqueue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { enqueueTextSms, TEXT_SMS_QUEUE, type TextSmsJobData } from '../../src/deliveries/text-sms.js';
import { CallSimulator, type SimulatorOptions, type Transport } from '../../src/console/simulator/call.js';
import { createVoiceEngine } from '../../src/voice/create.js';
import type { VoiceEngine } from '../../src/voice/engine.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { createDoors, type Doors } from '../../src/doors/create.js';
import { interimIntake } from '../../src/doors/interim/intake-adapter.js';
import { DEFAULT_DOORS, type DoorsConfig } from '../../src/config/doors.js';
import type { ApiToken } from '../../src/platform/http/auth.js';
import { flowCatalogue } from '../../src/app/setup-catalogue.js';
import type { SecMethod } from '../../src/doors/intake.js';
import { BATCH_QUEUE, type BatchJobData, type BatchWorker } from '../../src/doors/batch/runner.js';

export const TEST_TOKEN = 'test-auth-token-0123456789';
export const TEST_BASE = 'https://hotline.example.com';
export const TEST_KEY = Buffer.alloc(32, 7);

export function testConfig(redisUrl: string, smppUrl = 'smpp://bootline:devpass@127.0.0.1:2775'): Config {
  return Object.freeze({
    port: 0,
    publicBaseUrl: TEST_BASE,
    twilioAuthToken: TEST_TOKEN,
    redisUrl,
    smpp: parseSmppUrl(smppUrl),
    dmServer: { url: 'https://dm.example.com/dm', id: 'com.example.dm' },
    dataEncryptionKey: TEST_KEY,
    logLevel: 'silent',
    flowsDir: join(repoRoot, 'voice-flows'),
    flowsReload: 'off',
    pinLength: 6,
    sms: { sourceAddr: 'BOOTLINE', dataCoding: 0x04 },
    shutdownTimeoutMs: 5_000,
    smppTransport: {
      binds: 1,
      bindMode: 'transceiver',
      window: 10,
      tps: 0,
      responseTimeoutMs: 2_000,
      enquireLinkMs: 30_000,
    },
    dmRegister: null,
    apiTokens: [],
    worker: { concurrency: 5, lockMs: 30_000, maxStalled: 3 },
    security: DEFAULT_SECURITY,
    redisClusterNodes: [],
    processes: { web: 1, worker: 1 },
    smppTotalTps: 0,
  } as const);
}

/** supertest as the simulator's transport: real HTTP through the Express app. */
export function supertestTransport(app: Express, base = TEST_BASE): Transport {
  return async (url, params, headers) => {
    const path = url.startsWith(base) ? url.slice(base.length) : url;
    const res = await request(app).post(path).set(headers).type('form').send(params);
    return { status: res.status, body: res.text };
  };
}

export interface WebStack {
  readonly app: Express;
  readonly redis: Redis;
  readonly queue: Queue<BootstrapJobData>;
  readonly smsQueue: Queue<TextSmsJobData>;
  readonly store: BootstrapStore;
  readonly config: Config;
  readonly flows: FlowRegistry;
  readonly engine: VoiceEngine;
  /** With `doors`: the doors, mounted with the delivery API on `tokens`. */
  readonly doors?: Doors;
  /** With `doors`: the batch worker running in this stack (as main/web.ts runs it). */
  readonly batchWorker?: BatchWorker;
  sim(opts?: Partial<Omit<SimulatorOptions, 'transport' | 'baseUrl' | 'authToken'>>): CallSimulator;
  /** Resolves once both Redis connections are up (web connections fail fast until then). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The web side, wired exactly as main/web.ts wires it, around a given Redis and prefix. */
/** Limits high enough that functional tests calling one number many times are never refused. */
export const TEST_LIMITS: AbuseLimits = {
  code: generous(),
  bootstrap: generous(),
  lockout: { points: 1000, seconds: 3600 },
};
function generous(): AbuseLimits['code'] {
  return Object.fromEntries(LIMIT_SCOPES.map((s) => [s, { points: 100_000, seconds: 3600 }])) as AbuseLimits['code'];
}

export interface DoorsOptions {
  readonly tokens: readonly ApiToken[];
  readonly config?: Partial<DoorsConfig>;
  /** The SEC method the worker signs with (PUSH_SECURITY); default USERPIN. */
  readonly pushSecurity?: SecMethod & Config['security']['pushSecurity'];
  /** false: no batch worker in this stack (tests that run it elsewhere). */
  readonly batchWorker?: boolean;
  /** The batch worker's job lock (how soon a killed step is re-run). */
  readonly lockMs?: number;
}

export function webStack(
  redisUrl: string,
  opts: { prefix: string; logger?: Logger; flows?: FlowRegistry; limits?: AbuseLimits; doors?: DoorsOptions },
): WebStack {
  const config = testConfig(redisUrl);
  const logger = opts.logger ?? silentLogger();
  const redis = createRedis(redisUrl, 'fast', { enableAutoPipelining: true });
  const queueRedis = createRedis(redisUrl, 'fast');
  const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix: opts.prefix, connection: queueRedis });
  const smsQueue = new Queue<TextSmsJobData>(TEXT_SMS_QUEUE, { prefix: opts.prefix, connection: queueRedis });
  const store = new BootstrapStore(redis, config.dataEncryptionKey);
  const flows = opts.flows ?? FlowRegistry.fromDirectory(config.flowsDir);
  // The doors as main/web.ts wires them: the interim intake on this stack's queue and store.
  const batchQueue = new Queue<BatchJobData>(BATCH_QUEUE, { prefix: opts.prefix, connection: queueRedis });
  const doors = opts.doors
    ? createDoors({
        redis,
        intake: interimIntake({
          queue,
          store,
          redis,
          pinLength: 6,
          pushSecurity: opts.doors.pushSecurity ?? 'USERPIN',
        }),
        store,
        tokens: opts.doors.tokens,
        dataKey: TEST_KEY,
        limits: opts.limits ?? TEST_LIMITS,
        destination: config.security.destination,
        config: { ...DEFAULT_DOORS, ...opts.doors.config },
        logger,
        batchQueue,
        setup: {
          catalogue: flowCatalogue(flows, 'bootstrap'),
          sendText: (i) => enqueueTextSms({ queue: smsQueue }, { ...i, sealKey: TEST_KEY }),
        },
      })
    : undefined;
  const batchWorker =
    doors && opts.doors?.batchWorker !== false
      ? doors.startBatchWorker({ redis: redisUrl, prefix: opts.prefix, lockMs: opts.doors?.lockMs ?? 2_000 })
      : undefined;
  const engine = createVoiceEngine({
    redis,
    flows,
    limits: opts.limits ?? TEST_LIMITS,
    services: {
      publicBaseUrl: TEST_BASE,
      pinLength: 6,
      sealKey: TEST_KEY,
      logger,
      enqueueBootstrap: (i) => (doors ? doors.hotline(i) : enqueueBootstrap({ queue, store }, i)),
      sendText: (i) => enqueueTextSms({ queue: smsQueue }, { id: i.id, to: i.to, text: i.text, sealKey: TEST_KEY }),
      bootstrapStatus: async (id) => (await store.get(id))?.status ?? null,
    },
  });
  const app = createApp({
    config,
    logger,
    engine,
    readiness: async () => ({ redis: await redisReachable(redis), queue: await redisReachable(queueRedis) }),
    ...(doors && opts.doors
      ? {
          doors: doors.routes,
          api: { tokens: opts.doors.tokens, store, bootstrapQueue: queue, queues: [queue, smsQueue] },
        }
      : {}),
  });
  return {
    app,
    redis,
    queue,
    smsQueue,
    store,
    config,
    flows,
    engine,
    ...(doors ? { doors } : {}),
    ...(batchWorker ? { batchWorker } : {}),
    sim: (o = {}) =>
      new CallSimulator({
        transport: supertestTransport(app),
        baseUrl: TEST_BASE,
        authToken: TEST_TOKEN,
        pauseMs: (s) => s * 20,
        ...o,
      }),
    ready: async () => {
      await waitFor('web redis ready', () => redis.status === 'ready' && queueRedis.status === 'ready');
    },
    close: async () => {
      await batchWorker?.close(2_000);
      await batchQueue.close();
      await queue.close();
      await smsQueue.close();
      queueRedis.disconnect();
      redis.disconnect();
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
