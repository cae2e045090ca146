import { z } from 'zod';
import { LIFECYCLE_ENV } from './lifecycle.js';
import { SECURITY_ENV } from './security.js';
import { DOORS_ENV } from './doors.js';

/**
 * Every setting bootline reads, with its environment name, type, default and meaning.
 * The names are a contract (Procfile, operators' deploy tooling, tests): keep them.
 * Secrets have no default; the dev stack (`npm start`) generates them for local use.
 */
const port = z.coerce.number().int().min(0).max(65535);
const url = (schemes: string[]) =>
  z.string().refine((v) => URL.canParse(v) && schemes.includes(new URL(v).protocol.replace(/:$/, '')), {
    message: `must be a ${schemes.join('/')} URL`,
  });
const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)');

export const ENV_SCHEMA = z.object({
  PORT: port.default(3000).describe('HTTP port of the web process'),
  PUBLIC_BASE_URL: url(['http', 'https'])
    .optional()
    .describe(
      'Exact base URL Twilio requests and signs (scheme, host, port; never taken from the Host header); ' +
        'default http://localhost:$PORT',
    ),
  TWILIO_AUTH_TOKEN: z
    .string()
    .min(8, 'must be at least 8 characters')
    .describe("Auth Token of the Twilio account owning the number: the key of every webhook's signature"),
  REDIS_URL: url(['redis', 'rediss'])
    .default('redis://127.0.0.1:6379')
    .describe('Redis for call state, bootstrap records and the queues (rediss:// for TLS)'),
  SMPP_URL: url(['smpp', 'ssmpp']).describe(
    'smpp://system_id:password@host:port of the SMSC (ssmpp:// for TLS); the dev stack supplies its own',
  ),
  DM_SERVER_URL: url(['http', 'https']).describe('DM server address put into the Bootstrap Message'),
  DM_SERVER_ID: z.string().min(1).max(100).describe('DM server id (PROVIDER-ID / ServerID, the server AAUTHNAME)'),
  DATA_ENCRYPTION_KEY: hexKey.describe('AES-256-GCM key for PINs and credentials at rest in Redis'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Least severe log level written (JSON lines; numbers masked, secrets never logged)'),
  FLOWS_DIR: z.string().default('voice-flows').describe('Folder of voice-flow YAML files'),
  FLOWS_RELOAD: z
    .enum(['watch', 'off'])
    .default('watch')
    .describe('Hot-reload flow files when they change (invalid edits are refused and logged)'),
  TWILIO_WORKFLOW_SID: z
    .string()
    .regex(/^WW[0-9a-f]{32}$/, 'a TaskRouter workflow SID, WW and 32 hex digits')
    .optional()
    .describe(
      'Escalations to a named queue go through this TaskRouter workflow with the call context as task attributes',
    ),
  CALL_TRACE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90)
    .default(7)
    .describe("Days each call's execution trace is kept in Redis (0: calls are not traced)"),
  FLOW_TEST_CALLERS: z
    .string()
    .regex(/^\+[1-9]\d{6,14}(,\+[1-9]\d{6,14})*$/, 'comma-separated E.164 numbers, e.g. +447700900001,+447700900002')
    .optional()
    .describe("Caller IDs routed to a flow's valid draft instead of the published version (test callers)"),
  HANDSET_CONTROL_URL: url(['http'])
    .optional()
    .describe(
      "Simulated handsets' control API (npm start sets it): the console's simulated calls type the PIN they " +
        'hear into the handset the push went to, so a call can end enrolled; unset = a real phone does it',
    ),
  PIN_LENGTH: z.coerce
    .number()
    .int()
    .min(4)
    .max(10)
    .default(6)
    .describe('Digits in the spoken USERPIN (a shorter PIN is easier to brute-force offline)'),
  SMS_SOURCE_ADDR: z
    .string()
    .min(1)
    .max(20)
    .default('BOOTLINE')
    .describe(
      'Sender of the push and the text SMS: alphanumeric → TON 5; digits, with or without a leading +, → TON 1',
    ),
  SMS_DATA_CODING: z
    .enum(['0x04', '0xF5'])
    .default('0x04')
    .describe('Data coding of push segments: 0x04 (8-bit) or 0xF5 (8-bit, class 1)'),
  DEVICE_PROFILES_FILE: z
    .string()
    .optional()
    .describe('JSON/YAML table choosing CP or DM, TNDS encoding, SEC and DCS per TAC or operator'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('Upper bound on a graceful shutdown (stop intake, drain, unbind SMPP, close Redis)'),
  // --- push pipeline ---
  SMPP_BINDS: z.coerce.number().int().min(1).max(16).default(1).describe('SMPP connections (binds) to the SMSC'),
  SMPP_BIND_MODE: z
    .enum(['transceiver', 'transmitter-receiver'])
    .default('transceiver')
    .describe('One transceiver per bind, or transmitters plus one receiver for receipts'),
  SMPP_WINDOW: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Max submit_sm awaiting a response, per bind'),
  SMPP_TPS: z.coerce
    .number()
    .min(0)
    .max(100_000)
    .default(0)
    .describe('Max submit_sm per second, per bind (0 = no cap); set it to the SMSC contract'),
  SMPP_RESPONSE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('Wait for a submit_sm_resp / enquire_link_resp'),
  SMPP_ENQUIRE_LINK_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe('enquire_link interval; a link that does not answer is made afresh'),
  DM_REGISTER_URL: url(['http', 'https'])
    .optional()
    .describe(
      'DM server endpoint that receives per-device credentials before the push (the worker needs it; ' +
        'the dev stack runs a stand-in)',
    ),
  DM_REGISTER_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('HMAC-SHA256 key signing registrations'),
  API_TOKENS: z
    .string()
    .regex(
      /^(operator|agent|read-only|pos):[0-9a-fA-F]{64}(,(operator|agent|read-only|pos):[0-9a-fA-F]{64})*$/,
      'must be role:sha256hex[,role:sha256hex…] with role operator, agent, read-only or pos',
    )
    .optional()
    .describe('API and dashboard tokens as role:sha256hex (printf %s "$TOKEN" | sha256sum); unset = everyone refused'),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Jobs one worker process runs at once, per queue'),
  WORKER_LOCK_MS: z.coerce
    .number()
    .int()
    .min(500)
    .default(30_000)
    .describe("BullMQ job lock; a dead worker's jobs are re-run after it"),
  WORKER_MAX_STALLED: z.coerce.number().int().min(0).default(3).describe('Re-runs of a stalled job before it fails'),
  // --- security and abuse defences ---
  ...SECURITY_ENV,
  // --- support agents ---
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .optional()
    .describe('Account whose calls agents hand in (REST calls(sid).update); unset = no hand-ins'),
  TWILIO_API_BASE_URL: url(['http', 'https'])
    .optional()
    .describe('Twilio REST base URL; default https://api.twilio.com (dev/tests: the local stand-in)'),
  AGENT_SIP_DOMAINS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*$/, 'host names, comma-separated, e.g. pbx.example.com')
    .optional()
    .describe('SIP hosts an agent may name as returnTo (sip:agent@host); unset = SIP returnTo refused'),
  AGENT_WEBHOOK_URL: url(['http', 'https'])
    .optional()
    .describe('Contact centre endpoint told when a bootstrap an agent started changes state'),
  AGENT_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('HMAC-SHA256 key signing agent webhooks'),
  // --- scale-out ---
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^,\s]+:\d{1,5}(,[^,\s]+:\d{1,5})*$/, 'must be host:port[,host:port…]')
    .optional()
    .describe('Seed nodes of a Redis Cluster; when set, bootline uses ioredis Cluster (auth/TLS from REDIS_URL)'),
  WEB_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Web processes `npm run web` forks (node:cluster, one shared port)'),
  WORKER_PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Worker processes `npm run worker` forks (each with its own SMPP binds)'),
  SMPP_TOTAL_TPS: z.coerce
    .number()
    .min(0)
    .max(100_000)
    .default(0)
    .describe('Max submit_sm per second across all workers and binds, shared in Redis (0 = no cap)'),
  // --- the other doors: self-service page, point-of-sale and bulk API, network events ---
  ...DOORS_ENV,
  // --- delivery lifecycle past the SMS: enrolment, outbound events ---
  ...LIFECYCLE_ENV,
});

export type EnvInput = z.input<typeof ENV_SCHEMA>;
