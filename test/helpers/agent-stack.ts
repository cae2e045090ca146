import type { Redis } from 'ioredis';
import request from 'supertest';
import type { AgentSupport } from '../../src/agents/create.js';
import type { RequestListener } from '../../src/app/http.js';
import type { Config } from '../../src/config/config.js';
import type { BootstrapStore } from '../../src/deliveries/store/store.js';
import type { CallSimulator, SimulatorOptions } from '../../src/console/simulator/call.js';
import { TwilioStandIn } from '../../src/dev/twilio/server.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { AbuseLimits } from '../../src/policy/limits.js';
import type { FlowRegistry } from '../../src/voice/registry.js';
import { TEST_TOKEN, webStack } from './stack.js';

export const TEST_ACCOUNT = 'AC' + 'a1'.repeat(16);
export const AGENT_TOKEN = 'agent-token-0123456789';
export const OPERATOR_TOKEN = 'operator-token-0123456789';
export const READONLY_TOKEN = 'readonly-token-0123456789';

export interface AgentStack {
  readonly app: RequestListener;
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
 * The web process (createWeb) with support agents on: the twilio package talks over real HTTP
 * to the Twilio REST stand-in, which drives simulated calls to the hand-in URL.
 */
export async function agentStack(
  redisUrl: string,
  opts: { prefix: string; flows: FlowRegistry; limits?: AbuseLimits; env?: Record<string, string> },
): Promise<AgentStack> {
  const logger = silentLogger();
  const twilio = new TwilioStandIn({ accountSid: TEST_ACCOUNT, authToken: TEST_TOKEN, logger });
  const apiBaseUrl = await twilio.listen(0);
  const tokens = [
    `agent:${hashToken(AGENT_TOKEN)}`,
    `operator:${hashToken(OPERATOR_TOKEN)}`,
    `read-only:${hashToken(READONLY_TOKEN)}`,
  ];
  const web = webStack(redisUrl, {
    prefix: opts.prefix,
    flows: opts.flows,
    logger,
    ...(opts.limits ? { limits: opts.limits } : {}),
    env: {
      API_TOKENS: tokens.join(','),
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT,
      TWILIO_API_BASE_URL: apiBaseUrl,
      AGENT_SIP_DOMAINS: 'cc.example.com',
      ...opts.env,
    },
  });
  const { app, sim } = web;
  return {
    app,
    redis: web.redis,
    store: web.store,
    agent: web.web.agent,
    twilio,
    config: web.config,
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
    ready: () => web.ready(),
    close: async () => {
      await web.close();
      await twilio.close();
    },
  };
}
