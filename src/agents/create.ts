import type { AgentConfig } from '../config/config.js';
import type { Logger } from '../platform/logger.js';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { twilioRedirector, type CallRedirector } from '../twilio/calls.js';
import type { VoiceEngine } from '../voice/engine.js';
import type { FlowRegistry } from '../voice/registry.js';
import { HandInLinks } from './hand-in-links.js';
import { AgentService } from './service.js';
import { TransferStore } from './transfers.js';

/** What support agents keep in Redis, and the hand-in links: all the voice engine needs of them. */
export interface AgentStores {
  readonly transfers: TransferStore;
  readonly links: HandInLinks;
}

export interface AgentSupport extends AgentStores {
  readonly service: AgentService;
}

/** Support agents' stores and links, built before the voice engine (which redeems cold-transfer codes with them). */
export function createAgentStores(d: {
  redis: Redis;
  dataKey: Buffer;
  publicBaseUrl: string;
  logger: Logger;
}): AgentStores {
  const transfers = new TransferStore(d.redis);
  return {
    transfers,
    links: new HandInLinks({ transfers, dataKey: d.dataKey, publicBaseUrl: d.publicBaseUrl, logger: d.logger }),
  };
}

/**
 * The web side of support agents, over the engine they send callers into. The Twilio client
 * talks to TWILIO_API_BASE_URL (the stand-in in dev and tests); without TWILIO_ACCOUNT_SID
 * hand-ins are refused and cold-transfer codes still work.
 */
export function createAgentSupport(d: {
  stores: AgentStores;
  flows: FlowRegistry;
  engine: VoiceEngine;
  dataKey: Buffer;
  publicBaseUrl: string;
  authToken: string;
  agent: AgentConfig | undefined;
  logger: Logger;
  redirector?: CallRedirector;
}): AgentSupport {
  const sid = d.agent?.accountSid;
  const redirector =
    d.redirector ??
    (sid ? twilioRedirector({ accountSid: sid, authToken: d.authToken, apiBaseUrl: d.agent!.apiBaseUrl }) : null);
  const service = new AgentService({
    transfers: d.stores.transfers,
    links: d.stores.links,
    redirector,
    flows: d.flows,
    engine: d.engine,
    dataKey: d.dataKey,
    publicBaseUrl: d.publicBaseUrl,
    sipDomains: d.agent?.sipDomains ?? [],
    logger: d.logger,
  });
  return { ...d.stores, service };
}
