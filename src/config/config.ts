import { z } from 'zod';
import { BootlineError } from '../errors.js';
import { ENV_SCHEMA } from './schema.js';

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
  readonly pinLength: number;
  readonly sms: { readonly sourceAddr: string; readonly dataCoding: 0x04 | 0xf5 };
  readonly shutdownTimeoutMs: number;
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
    pinLength: e.PIN_LENGTH,
    sms: Object.freeze({ sourceAddr: e.SMS_SOURCE_ADDR, dataCoding: e.SMS_DATA_CODING === '0xF5' ? 0xf5 : 0x04 } as const),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  });
}
