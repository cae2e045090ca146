import type { z } from 'zod';
import { BootlineError } from '../errors.js';
import { ENV_SCHEMA } from './schema.js';
import { lifecycleConfig, type LifecycleConfig } from './lifecycle.js';
import { securityConfig, type SecurityConfig } from './security.js';
import { doorsConfig, type DoorsConfig } from './doors.js';
import type { ApiRole, ApiToken } from '../platform/http/auth.js';

export interface SmppTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly systemId: string;
  readonly password: string;
}

export interface Config {
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly twilioAuthToken: string;
  readonly redisUrl: string;
  readonly smpp: SmppTarget;
  readonly dmServer: { readonly url: string; readonly id: string };
  readonly dataEncryptionKey: Buffer;
  readonly logLevel: string;
  readonly flowsDir: string;
  readonly flowsReload: 'watch' | 'off';
  readonly pinLength: number;
  /** Execution traces: days kept (CALL_TRACE_DAYS); test callers routed to drafts (FLOW_TEST_CALLERS). */
  readonly traces?: { readonly days: number; readonly testCallers: readonly string[] };
  readonly sms: { readonly sourceAddr: string; readonly dataCoding: 0x04 | 0xf5 };
  /** DEVICE_PROFILES_FILE, read with readDeviceProfiles (config/device-profiles.ts); null/absent = built-in table. */
  readonly deviceProfilesFile?: string | null;
  readonly shutdownTimeoutMs: number;
  readonly smppTransport: SmppTransportConfig;
  /** Null when DM_REGISTER_URL is unset (the worker refuses to start without it). */
  readonly dmRegister: { readonly url: string; readonly secret: string } | null;
  readonly apiTokens: readonly ApiToken[];
  readonly worker: { readonly concurrency: number; readonly lockMs: number; readonly maxStalled: number };
  readonly security: SecurityConfig;
  /** Support agents: hand-ins need the account; the webhook is optional. */
  readonly agent?: AgentConfig;
  /** Scale-out: Redis Cluster seeds (empty = single server), forked processes, the SMSC's total TPS. */
  readonly redisClusterNodes: readonly { readonly host: string; readonly port: number }[];
  readonly processes: { readonly web: number; readonly worker: number };
  readonly smppTotalTps: number;
  /** Self-service page, POS/bulk API, network events; absent (tests, bench) = DEFAULT_DOORS. */
  readonly doors?: DoorsConfig;
  /** Enrolment tracking and outbound event subscribers. */
  readonly lifecycle: LifecycleConfig;
}

export interface AgentConfig {
  /** Null when TWILIO_ACCOUNT_SID is unset: the transfer API answers AGENT_NOT_CONFIGURED. */
  readonly accountSid: string | null;
  readonly apiBaseUrl: string;
  readonly webhook: { readonly url: string; readonly secret: string } | null;
  /** TWILIO_WORKFLOW_SID, or null: named-queue escalations then use Twilio's plain queue. */
  readonly workflowSid?: string | null;
  /** Hosts a hand-in's SIP returnTo may name (lower case); absent or empty: SIP returnTo is refused. */
  readonly sipDomains?: readonly string[];
}

export interface SmppTransportConfig {
  readonly binds: number;
  readonly bindMode: 'transceiver' | 'transmitter-receiver';
  readonly window: number;
  readonly tps: number;
  readonly responseTimeoutMs: number;
  readonly enquireLinkMs: number;
}

export type { ApiRole, ApiToken, LifecycleConfig };

/** API_TOKENS="role:sha256hex,…" (the schema checked the shape). */
export function parseApiTokens(raw: string | undefined): readonly ApiToken[] {
  if (!raw) return Object.freeze([]);
  return Object.freeze(
    raw.split(',').map((p) => {
      const [role, hex] = p.split(':') as [ApiRole, string];
      return Object.freeze({ role, sha256: hex.toLowerCase() });
    }),
  );
}

/** REDIS_CLUSTER_NODES="host:port,host:port" (the schema checked the shape). */
export function parseClusterNodes(raw: string | undefined): Array<{ host: string; port: number }> {
  if (!raw) return [];
  return raw.split(',').map((item) => {
    const i = item.lastIndexOf(':');
    return { host: item.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(item.slice(i + 1)) };
  });
}

export function parseSmppUrl(raw: string): SmppTarget {
  const u = new URL(raw);
  const tls = u.protocol === 'ssmpp:';
  return Object.freeze({
    host: u.hostname,
    port: u.port ? Number(u.port) : tls ? 3550 : 2775,
    tls,
    systemId: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
}

function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
}

/**
 * Validates the environment once and returns a frozen Config. Lists every problem at once
 * (CONFIG_INVALID with `details.problems`) so an operator fixes them in one go.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues);
    throw new BootlineError('CONFIG_INVALID', 'invalid configuration:\n  ' + problems.join('\n  '), { problems });
  }
  const e = parsed.data;
  const security = securityConfig(e);
  const doors = doorsConfig(e);
  const lifecycle = lifecycleConfig(e);
  const problems = [...security.problems, ...doors.problems, ...lifecycle.problems];
  if (Boolean(e.DM_REGISTER_URL) !== Boolean(e.DM_REGISTER_SECRET))
    problems.push('DM_REGISTER_URL and DM_REGISTER_SECRET: set both or neither');
  if (Boolean(e.AGENT_WEBHOOK_URL) !== Boolean(e.AGENT_WEBHOOK_SECRET))
    problems.push('AGENT_WEBHOOK_URL and AGENT_WEBHOOK_SECRET: set both or neither');
  if (problems.length)
    throw new BootlineError('CONFIG_INVALID', 'invalid configuration:\n  ' + problems.join('\n  '), { problems });
  return Object.freeze({
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    twilioAuthToken: e.TWILIO_AUTH_TOKEN,
    redisUrl: e.REDIS_URL,
    smpp: parseSmppUrl(e.SMPP_URL),
    dmServer: Object.freeze({ url: e.DM_SERVER_URL, id: e.DM_SERVER_ID }),
    dataEncryptionKey: Buffer.from(e.DATA_ENCRYPTION_KEY, 'hex'),
    logLevel: e.LOG_LEVEL,
    flowsDir: e.FLOWS_DIR,
    flowsReload: e.FLOWS_RELOAD,
    pinLength: e.PIN_LENGTH,
    traces: Object.freeze({
      days: e.CALL_TRACE_DAYS,
      testCallers: Object.freeze(e.FLOW_TEST_CALLERS ? e.FLOW_TEST_CALLERS.split(',') : []),
    }),
    sms: Object.freeze({
      sourceAddr: e.SMS_SOURCE_ADDR,
      dataCoding: e.SMS_DATA_CODING === '0xF5' ? 0xf5 : 0x04,
    } as const),
    deviceProfilesFile: e.DEVICE_PROFILES_FILE ?? null,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    smppTransport: Object.freeze({
      binds: e.SMPP_BINDS,
      bindMode: e.SMPP_BIND_MODE,
      window: e.SMPP_WINDOW,
      tps: e.SMPP_TPS,
      responseTimeoutMs: e.SMPP_RESPONSE_TIMEOUT_MS,
      enquireLinkMs: e.SMPP_ENQUIRE_LINK_MS,
    }),
    dmRegister:
      e.DM_REGISTER_URL && e.DM_REGISTER_SECRET
        ? Object.freeze({ url: e.DM_REGISTER_URL, secret: e.DM_REGISTER_SECRET })
        : null,
    apiTokens: parseApiTokens(e.API_TOKENS),
    worker: Object.freeze({
      concurrency: e.WORKER_CONCURRENCY,
      lockMs: e.WORKER_LOCK_MS,
      maxStalled: e.WORKER_MAX_STALLED,
    }),
    security: security.config!,
    agent: Object.freeze({
      accountSid: e.TWILIO_ACCOUNT_SID ?? null,
      apiBaseUrl: (e.TWILIO_API_BASE_URL ?? 'https://api.twilio.com').replace(/\/+$/, ''),
      workflowSid: e.TWILIO_WORKFLOW_SID ?? null,
      webhook:
        e.AGENT_WEBHOOK_URL && e.AGENT_WEBHOOK_SECRET
          ? Object.freeze({ url: e.AGENT_WEBHOOK_URL, secret: e.AGENT_WEBHOOK_SECRET })
          : null,
      sipDomains: Object.freeze((e.AGENT_SIP_DOMAINS ?? '').toLowerCase().split(',').filter(Boolean)),
    }),
    redisClusterNodes: Object.freeze(parseClusterNodes(e.REDIS_CLUSTER_NODES).map((n) => Object.freeze(n))),
    processes: Object.freeze({ web: e.WEB_CONCURRENCY, worker: e.WORKER_PROCESSES }),
    smppTotalTps: e.SMPP_TOTAL_TPS,
    doors: doors.config!,
    lifecycle: lifecycle.config,
  });
}
