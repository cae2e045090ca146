import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { RequestListener } from '../../src/app/http.js';
import { createWeb, type Web } from '../../src/app/web.js';
import { DEFAULT_DOORS, type DoorsConfig } from '../../src/config/doors.js';
import type { Doors } from '../../src/doors/create.js';
import type { ApiToken } from '../../src/platform/http/auth.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { BootstrapStore } from '../../src/deliveries/store/store.js';
import { CallSimulator, type SimulatorOptions, type Transport } from '../../src/console/simulator/call.js';
import { silentLogger, type Logger } from '../../src/platform/logger.js';
import { LIMIT_SCOPES, type AbuseLimits } from '../../src/policy/limits.js';
import type { BootstrapJobData, TextSmsJobData } from '../../src/queues/catalogue.js';
import type { VoiceEngine } from '../../src/voice/engine.js';
import type { FlowRegistry } from '../../src/voice/registry.js';
import { repoRoot } from './paths.js';

export const TEST_TOKEN = 'test-auth-token-0123456789';
export const TEST_BASE = 'https://hotline.example.com';
export const TEST_KEY = Buffer.alloc(32, 7);

/** Limits high enough that functional tests calling one number many times are never refused. */
const GENEROUS = LIMIT_SCOPES.map((s) => `${s}=100000/1h`).join(',');

/**
 * The environment of a test process: what an operator would set, pointing at the test's own
 * Redis and SMSC. `env` adds to it or overrides it.
 */
export function testEnv(
  redisUrl: string,
  smppUrl = 'smpp://bootline:devpass@127.0.0.1:2775',
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: '0',
    PUBLIC_BASE_URL: TEST_BASE,
    TWILIO_AUTH_TOKEN: TEST_TOKEN,
    REDIS_URL: redisUrl,
    SMPP_URL: smppUrl,
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: TEST_KEY.toString('hex'),
    LOG_LEVEL: 'silent',
    FLOWS_DIR: join(repoRoot, 'voice-flows'),
    FLOWS_RELOAD: 'off',
    SHUTDOWN_TIMEOUT_MS: '5000',
    SMPP_RESPONSE_TIMEOUT_MS: '2000',
    WORKER_CONCURRENCY: '5',
    LIMITS_CODES: GENEROUS,
    LIMITS_BOOTSTRAPS: GENEROUS,
    CODE_LOCKOUT: '1000/1h',
    ...env,
  };
}

/** The configuration a test's processes run with, read from testEnv as loadConfig reads it in production. */
export function testConfig(redisUrl: string, smppUrl?: string, env: Record<string, string> = {}): Config {
  return loadConfig(testEnv(redisUrl, smppUrl, env));
}

/** The limits of testConfig, for tests that tighten one of them. */
export const TEST_LIMITS: AbuseLimits = testConfig('redis://127.0.0.1:1').security.limits;

/** supertest as the simulator's transport: real HTTP through the web's request listener. */
export function supertestTransport(listener: RequestListener, base = TEST_BASE): Transport {
  return async (url, params, headers) => {
    const path = url.startsWith(base) ? url.slice(base.length) : url;
    const res = await request(listener).post(path).set(headers).type('form').send(params);
    return { status: res.status, body: res.text };
  };
}

export interface WebStack {
  /** The web's request listener (what main/web.ts serves): give it to supertest. */
  readonly app: RequestListener;
  /** Everything createWeb built, for tests that reach into a part. */
  readonly web: Web;
  readonly redis: Redis;
  readonly queue: Queue<BootstrapJobData>;
  readonly smsQueue: Queue<TextSmsJobData>;
  readonly store: BootstrapStore;
  readonly config: Config;
  readonly flows: FlowRegistry;
  readonly engine: VoiceEngine;
  /** The doors (self-service page, point of sale and bulk API, network events). */
  readonly doors: Doors;
  sim(opts?: Partial<Omit<SimulatorOptions, 'transport' | 'baseUrl' | 'authToken'>>): CallSimulator;
  /** Resolves once both Redis connections are up (web connections fail fast until then). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface WebStackOptions {
  readonly prefix: string;
  readonly logger?: Logger;
  readonly flows?: FlowRegistry;
  readonly limits?: AbuseLimits;
  /** Environment over testEnv (API_TOKENS, FLOWS_DIR, TWILIO_ACCOUNT_SID, …). */
  readonly env?: Record<string, string>;
  /** The console's loopback address (consoleStack's listening URL). */
  readonly selfUrl?: () => string;
  /** Caller IDs routed to a flow's draft (FLOW_TEST_CALLERS). */
  readonly testCallers?: string[];
  /** The doors' settings, and a batch worker in this stack (none without `doors`). */
  readonly doors?: DoorsOptions;
}

export interface DoorsOptions {
  /** API tokens (pos, operator, read-only…) the doors and the delivery API take. */
  readonly tokens: readonly ApiToken[];
  readonly config?: Partial<DoorsConfig>;
  /** The SEC method the worker signs with (PUSH_SECURITY); default USERPIN. */
  readonly pushSecurity?: Config['security']['pushSecurity'];
  /** false: no batch worker in this stack (tests that run it elsewhere). */
  readonly batchWorker?: boolean;
  /** The batch worker's job lock (how soon a killed step is re-run); default 2 s. */
  readonly lockMs?: number;
}

/** The web process as main/web.ts builds it (createWeb over loadConfig), around a given Redis and queue prefix. */
export function webStack(redisUrl: string, opts: WebStackOptions): WebStack {
  const d = opts.doors;
  const env = {
    ...opts.env,
    ...(opts.testCallers ? { FLOW_TEST_CALLERS: opts.testCallers.join(',') } : {}),
    ...(d?.tokens.length ? { API_TOKENS: d.tokens.map((t) => `${t.role}:${t.sha256}`).join(',') } : {}),
    ...(d?.pushSecurity ? { PUSH_SECURITY: d.pushSecurity } : {}),
  };
  const base = testConfig(redisUrl, undefined, env);
  const config: Config = {
    ...base,
    ...(opts.limits ? { security: { ...base.security, limits: opts.limits } } : {}),
    ...(d?.config ? { doors: { ...(base.doors ?? DEFAULT_DOORS), ...d.config } } : {}),
  };
  const web = createWeb(config, {
    logger: opts.logger ?? silentLogger(),
    queuePrefix: opts.prefix,
    ...(opts.flows ? { flows: opts.flows } : {}),
    ...(opts.selfUrl ? { selfUrl: opts.selfUrl } : {}),
    batchWorker: d && d.batchWorker !== false ? { lockMs: d.lockMs ?? 2_000 } : false,
  });
  return {
    app: web.listener,
    web,
    redis: web.redis as Redis,
    queue: web.queues.bootstrap,
    smsQueue: web.queues.textSms,
    store: web.store,
    config,
    flows: web.flows,
    engine: web.engine,
    doors: web.doors,
    sim: (o = {}) =>
      new CallSimulator({
        transport: supertestTransport(web.listener),
        baseUrl: TEST_BASE,
        authToken: TEST_TOKEN,
        pauseMs: (s) => s * 20,
        ...o,
      }),
    ready: async () => {
      await waitFor('web redis ready', () => web.redis.status === 'ready' && web.queueRedis.status === 'ready');
    },
    close: () => web.close(),
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
