import type { AbuseLimits } from '../../src/policy/limits.js';
import { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { createAgentSupport, type AgentSupport } from '../../src/agents/create.js';
import type { Config } from '../../src/config/config.js';
import { createApp } from '../../src/app/http.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { BOOTSTRAP_QUEUE, type BootstrapJobData } from '../../src/queues/jobs.js';
import { enqueueBootstrap } from '../../src/deliveries/enqueue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { enqueueTextSms, TEXT_SMS_QUEUE, type TextSmsJobData } from '../../src/deliveries/text-sms.js';
import { CallSimulator, type SimulatorOptions } from '../../src/console/simulator/call.js';
import { TwilioStandIn } from '../../src/dev/twilio/server.js';
import { createVoiceEngine } from '../../src/voice/create.js';
import type { FlowRegistry } from '../../src/voice/registry.js';
import { supertestTransport, TEST_BASE, TEST_KEY, TEST_LIMITS, TEST_TOKEN, testConfig, waitFor } from './stack.js';

export const TEST_ACCOUNT = 'AC' + 'a1'.repeat(16);
export const AGENT_TOKEN = 'agent-token-0123456789';
export const OPERATOR_TOKEN = 'operator-token-0123456789';
export const READONLY_TOKEN = 'readonly-token-0123456789';

export interface AgentStack {
  readonly app: Express;
  readonly redis: Redis;
  readonly store: BootstrapStore;
  readonly agent: AgentSupport;
  readonly twilio: TwilioStandIn;
  readonly config: Config;
  /** A caller on the phone with an agent: a simulated call the Twilio stand-in can redirect. */
  caller(opts?: Partial<Omit<SimulatorOptions, 'transport' | 'baseUrl' | 'authToken'>>): CallSimulator;
  sim(opts?: Partial<Omit<SimulatorOptions, 'transport' | 'baseUrl' | 'authToken'>>): CallSimulator;
  /** POST /api/agent/transfers with a token (default: the agent's). */
  transfer(body: object, token?: string | null): request.Test;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The web side as main/web.ts wires it, with support agents on: the twilio package talks
 * over real HTTP to the Twilio REST stand-in, which drives simulated calls to the hand-in URL.
 */
export async function agentStack(
  redisUrl: string,
  opts: { prefix: string; flows: FlowRegistry; limits?: AbuseLimits },
): Promise<AgentStack> {
  const logger = silentLogger();
  const twilio = new TwilioStandIn({ accountSid: TEST_ACCOUNT, authToken: TEST_TOKEN, logger });
  const apiBaseUrl = await twilio.listen(0);
  const tokens = [
    { role: 'agent' as const, sha256: hashToken(AGENT_TOKEN) },
    { role: 'operator' as const, sha256: hashToken(OPERATOR_TOKEN) },
    { role: 'read-only' as const, sha256: hashToken(READONLY_TOKEN) },
  ];
  const config: Config = {
    ...testConfig(redisUrl),
    apiTokens: tokens,
    agent: { accountSid: TEST_ACCOUNT, apiBaseUrl, webhook: null, sipDomains: ['cc.example.com'] },
  };
  const redis = createRedis(redisUrl, 'fast');
  const queueRedis = createRedis(redisUrl, 'fast');
  const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix: opts.prefix, connection: queueRedis });
  const smsQueue = new Queue<TextSmsJobData>(TEXT_SMS_QUEUE, { prefix: opts.prefix, connection: queueRedis });
  const store = new BootstrapStore(redis, TEST_KEY);
  let agent: AgentSupport | null = null;
  const engine = createVoiceEngine({
    redis,
    flows: opts.flows,
    limits: opts.limits ?? TEST_LIMITS,
    services: {
      publicBaseUrl: TEST_BASE,
      pinLength: 6,
      sealKey: TEST_KEY,
      logger,
      enqueueBootstrap: (i) => enqueueBootstrap({ queue, store }, i),
      sendText: (i) => enqueueTextSms({ queue: smsQueue }, { id: i.id, to: i.to, text: i.text, sealKey: TEST_KEY }),
      bootstrapStatus: async (id) => (await store.get(id))?.status ?? null,
      redeemTransferCode: (callSid, code) => agent!.service.redeemCode(callSid, code),
    },
  });
  agent = createAgentSupport({
    redis,
    flows: opts.flows,
    engine,
    dataKey: TEST_KEY,
    publicBaseUrl: TEST_BASE,
    authToken: TEST_TOKEN,
    agent: config.agent,
    logger,
  });
  const app = createApp({
    config,
    logger,
    engine,
    readiness: async () => ({}),
    api: { tokens, store, bootstrapQueue: queue, queues: [queue, smsQueue] },
    agent: { tokens, service: agent.service, transfers: agent.transfers, store },
  });
  const sim: AgentStack['sim'] = (o = {}) =>
    new CallSimulator({
      transport: supertestTransport(app),
      baseUrl: TEST_BASE,
      authToken: TEST_TOKEN,
      pauseMs: (s) => s * 20,
      ...o,
    });
  return {
    app,
    redis,
    store,
    agent,
    twilio,
    config,
    sim,
    caller: (o = {}) => {
      const s = sim(o);
      twilio.attach(s.callSid, { redirect: (url, _method, fallbackUrl) => s.redirectTo(url, fallbackUrl) });
      return s;
    },
    transfer: (body, token = AGENT_TOKEN) => {
      const r = request(app).post('/api/agent/transfers').send(body);
      return token ? r.set('Authorization', `Bearer ${token}`) : r;
    },
    ready: async () => {
      await waitFor('redis ready', () => redis.status === 'ready' && queueRedis.status === 'ready');
    },
    close: async () => {
      await queue.close();
      await smsQueue.close();
      queueRedis.disconnect();
      redis.disconnect();
      await twilio.close();
    },
  };
}
