import type { RedisClient as Redis } from '../platform/redis/client.js';
import type { AgentConfig } from '../config/config.js';
import type { Logger } from '../platform/logger.js';
import type { VoiceEngine } from '../voice/engine.js';
import type { FlowRegistry } from '../voice/registry.js';
import { AgentService } from './service.js';
import { TransferStore } from './transfers.js';
import { twilioRedirector, type CallRedirector } from '../twilio/calls.js';
import { WatchList } from './watch-list.js';

export interface AgentSupport {
  readonly service: AgentService;
  readonly transfers: TransferStore;
  readonly watch: WatchList;
}

/**
 * The web side of support agents, wired one way for main/web.ts and the tests. The Twilio
 * client talks to TWILIO_API_BASE_URL (the stand-in in dev and tests); without
 * TWILIO_ACCOUNT_SID hand-ins are refused and cold-transfer codes still work.
 */
export function createAgentSupport(d: {
  redis: Redis;
  flows: FlowRegistry;
  engine: VoiceEngine;
  dataKey: Buffer;
  publicBaseUrl: string;
  authToken: string;
  agent: AgentConfig | undefined;
  logger: Logger;
  redirector?: CallRedirector;
}): AgentSupport {
  const transfers = new TransferStore(d.redis);
  const watch = new WatchList(d.redis);
  const sid = d.agent?.accountSid;
  const redirector =
    d.redirector ??
    (sid ? twilioRedirector({ accountSid: sid, authToken: d.authToken, apiBaseUrl: d.agent!.apiBaseUrl }) : null);
  const service = new AgentService({
    transfers,
    watch,
    redirector,
    flows: d.flows,
    engine: d.engine,
    dataKey: d.dataKey,
    publicBaseUrl: d.publicBaseUrl,
    sipDomains: d.agent?.sipDomains ?? [],
    logger: d.logger,
  });
  return { service, transfers, watch };
}
