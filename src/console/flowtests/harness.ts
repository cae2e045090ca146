import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { createAgentStores, createAgentSupport } from '../../agents/create.js';
import { handInRoutes } from '../../agents/http/handin.js';
import type { AbuseLimits } from '../../policy/limits.js';
import { LIMIT_SCOPES } from '../../policy/limits.js';
import type { Logger } from '../../platform/logger.js';
import type { RedisClient } from '../../platform/redis/client.js';
import type { VoiceServices } from '../../voice/context.js';
import { createVoiceEngine } from '../../voice/create.js';
import { voiceRoutes } from '../../voice/http/webhooks.js';
import type { FlowRegistry } from '../../voice/registry.js';
import { TraceStore } from '../../voice/trace/store.js';
import { fetchTransport, type Transport } from '../simulator/call.js';
import type { Sms } from '../simulator/inbox.js';
import type { HandsetAnswer, SmscAnswer } from './spec.js';

/**
 * The delivery side a flow test runs against: where codes and pushes go, what the SMSC answers
 * and what the handset then does (the DM server's report of its session).
 */
export interface Delivery {
  readonly services: Pick<VoiceServices, 'requestBootstrap' | 'sendText' | 'bootstrapStatus' | 'bootstrapState'>;
  /** Text SMS the SMSC accepted for the call, oldest first. */
  texts(callSid: string): Promise<Sms[]>;
  /** The call's push: its status, or null when none was queued. */
  push(callSid: string): Promise<string | null>;
  /** What the SMSC answers to the next pushes, and what their handsets do. */
  answer(a: SmscAnswer, handset: HandsetAnswer): Promise<void>;
  /** Whether the DM server reports sessions now (the handset answer is not `untracked`). */
  enrolmentTracked(): boolean;
  /** What the caller heard on a webhook, as it is heard (a caller types the PIN into the handset). */
  heard?(callSid: string, says: readonly string[]): void;
  close(): Promise<void>;
}

export interface Harness {
  readonly baseUrl: string;
  readonly authToken: string;
  readonly transport: Transport;
  readonly registry: FlowRegistry;
  readonly delivery: Delivery;
  readonly traces: TraceStore;
  /** How many code SMS the engine has asked to send on this call so far (resends included). */
  codesSent(callSid: string): number;
  /** An agent hands `callSid` into flow `routeId`: the URL Twilio would be redirected to. */
  handIn(o: {
    routeId: string;
    callSid: string;
    language?: string;
    agentId?: string;
    ticketId?: string;
    number?: string;
    returnTo?: string;
  }): Promise<{ url: string; fallbackUrl: string }>;
  close(): Promise<void>;
}

/** Flow tests call one number many times: limits high enough never to refuse them. */
const TEST_LIMITS: AbuseLimits = {
  code: Object.fromEntries(LIMIT_SCOPES.map((s) => [s, { points: 1_000_000, seconds: 60 }])) as AbuseLimits['code'],
  bootstrap: Object.fromEntries(
    LIMIT_SCOPES.map((s) => [s, { points: 1_000_000, seconds: 60 }]),
  ) as AbuseLimits['code'],
  lockout: { points: 1_000_000, seconds: 60 },
};

/**
 * What a flow test runs on: the real voice engine (the same factory as the web process) on a
 * real Redis, its Twilio webhooks and the agents' hand-in route answered on a loopback port of
 * its own (signed with a one-off auth token), traces kept like any call's, and a delivery side
 * given by the caller: the console's sandbox, or the CLI's dev SMSC and push workers.
 */
export async function startHarness(o: {
  redis: RedisClient;
  registry: FlowRegistry;
  dataKey: Buffer;
  logger: Logger;
  delivery: Delivery;
  traceDays?: number;
}): Promise<Harness> {
  const authToken = randomBytes(16).toString('hex');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const stores = createAgentStores({ redis: o.redis, dataKey: o.dataKey, publicBaseUrl: baseUrl, logger: o.logger });
  const sent = new Map<string, number>();
  const services: VoiceServices = {
    publicBaseUrl: baseUrl,
    pinLength: 6,
    sealKey: o.dataKey,
    logger: o.logger,
    ...o.delivery.services,
    sendText: (i) => {
      sent.set(i.callSid, (sent.get(i.callSid) ?? 0) + 1);
      return o.delivery.services.sendText(i);
    },
    redeemTransferCode: (callSid, code) => stores.links.redeemCode(callSid, code),
    // Read at each wait-for-enrolment turn: each case says whether the DM server reports sessions.
    get enrolmentTracked() {
      return o.delivery.enrolmentTracked();
    },
  };
  const engine = createVoiceEngine({
    redis: o.redis,
    flows: o.registry,
    services,
    limits: TEST_LIMITS,
    traceDays: o.traceDays ?? 7,
  });
  const redirects = new Map<string, { url: string; fallbackUrl: string }>();
  // A test's hand-in stands for the contact centre itself: the SIP host it returns callers to
  // is one of its own (AGENT_SIP_DOMAINS in a deployment), so each is allowed as it is named.
  const sipDomains: string[] = [];
  const agents = createAgentSupport({
    stores,
    flows: o.registry,
    engine,
    dataKey: o.dataKey,
    publicBaseUrl: baseUrl,
    authToken,
    agent: { accountSid: null, apiBaseUrl: 'https://api.twilio.com', webhook: null, workflowSid: null, sipDomains },
    logger: o.logger,
    redirector: {
      async redirect(callSid, url, fallbackUrl) {
        redirects.set(callSid, { url, fallbackUrl });
      },
    },
  });
  const voice = voiceRoutes({
    engine,
    logger: o.logger,
    authToken,
    publicBaseUrl: baseUrl,
    defaultFlowId: 'bootstrap',
  });
  const rest = express().use(
    '/voice/handin',
    handInRoutes({ service: agents.service, logger: o.logger, authToken, publicBaseUrl: baseUrl }),
  );
  server.on('request', (req, res) => {
    if (!voice(req, res)) rest(req, res);
  });
  return {
    baseUrl,
    authToken,
    transport: fetchTransport,
    registry: o.registry,
    delivery: o.delivery,
    codesSent: (callSid) => sent.get(callSid) ?? 0,
    traces: new TraceStore(o.redis, o.dataKey, (o.traceDays ?? 7) * 86_400),
    async handIn(h) {
      const sipHost = h.returnTo?.startsWith('sip:') ? /@([^:;?>\s]+)/.exec(h.returnTo)?.[1]?.toLowerCase() : undefined;
      if (sipHost && !sipDomains.includes(sipHost)) sipDomains.push(sipHost);
      await agents.service.create({
        callSid: h.callSid,
        flow: h.routeId,
        ...(h.language ? { language: h.language } : {}),
        ...(h.agentId ? { agentId: h.agentId } : {}),
        ...(h.ticketId ? { ticketId: h.ticketId } : {}),
        ...(h.number ? { number: h.number } : {}),
        ...(h.returnTo ? { returnTo: h.returnTo } : {}),
      });
      const r = redirects.get(h.callSid);
      if (!r) throw new Error('the hand-in was not redirected');
      return r;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await o.delivery.close();
    },
  };
}
