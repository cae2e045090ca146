import { z } from 'zod';
import { DEFAULT_LIMITS, parseLimitTable, parseRate, type AbuseLimits } from '../policy/limits.js';
import { TrustedProxies } from '../platform/http/client-address.js';

/** Environment settings of the abuse and privacy defences (docs/guides/security.md). */
export const SECURITY_ENV = {
  LIMITS_CODES: z
    .string()
    .optional()
    .describe(
      'Code SMS a caller can trigger, as scope=points/window pairs (caller, destination, prefix, country, ' +
        'global; windows in s m h d); default caller=6/1h,destination=3/1h,prefix=10/1h,country=200/1h,global=1000/1h',
    ),
  LIMITS_BOOTSTRAPS: z
    .string()
    .optional()
    .describe(
      'Bootstrap pushes per scope, as LIMITS_CODES; ' +
        'default caller=5/1d,destination=3/1d,prefix=20/1h,country=200/1h,global=1000/1h',
    ),
  CODE_LOCKOUT: z
    .string()
    .default('5/1h')
    .describe('Wrong codes for one destination (across calls) before it is locked for that window'),
  DESTINATION_COUNTRIES: z
    .string()
    .regex(/^[A-Z]{2}(,[A-Z]{2})*$/, 'ISO 3166 alpha-2 codes, comma-separated, e.g. GB,ES')
    .default('GB,ES')
    .describe('Countries the worker may push to (checked again in the worker, whatever a flow allows)'),
  DESTINATION_TYPES: z
    .string()
    .regex(/^[A-Z_]+(,[A-Z_]+)*$/, 'libphonenumber types, e.g. MOBILE,FIXED_LINE_OR_MOBILE')
    .default('MOBILE')
    .describe('Number types the worker may push to'),
  PUSH_SECURITY: z
    .enum(['USERPIN', 'NETWPIN', 'USERNETWPIN'])
    .default('USERPIN')
    .describe('SEC method of the Bootstrap Message; NETWPIN methods need SUBSCRIBER_LOOKUP_URL'),
  SUBSCRIBER_LOOKUP_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Subscriber lookup returning the IMSI of an MSISDN (signed request)'),
  SUBSCRIBER_LOOKUP_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('HMAC-SHA256 key signing subscriber lookups'),
  RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(30)
    .describe(
      'Days `bootline purge` keeps bootstrap statuses and credentials (records expire after 30 days regardless)',
    ),
  CORS_ORIGINS: z
    .string()
    .optional()
    .describe('Origins allowed to call /api from a browser (comma-separated); unset = none'),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .describe('Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs, CIDRs, "loopback"); unset = none'),
  TWILIO_SIGNATURE_PORTS: z
    .enum(['strict', 'either'])
    .default('strict')
    .describe(
      'strict: a webhook signature must be over PUBLIC_BASE_URL exactly as set; either: also with the ' +
        "scheme's default port added or removed (behind a proxy that rewrites the port)",
    ),
} as const;

type SecurityEnv = z.output<z.ZodObject<typeof SECURITY_ENV>>;

export interface SecurityConfig {
  readonly limits: AbuseLimits;
  readonly destination: { readonly countries: readonly string[]; readonly types: readonly string[] };
  readonly pushSecurity: 'USERPIN' | 'NETWPIN' | 'USERNETWPIN';
  readonly subscriberLookup: { readonly url: string; readonly secret: string } | null;
  readonly retentionDays: number;
  readonly corsOrigins: readonly string[];
  /** TRUSTED_PROXIES: hops whose forwarding headers are believed (console login throttle, "is this HTTPS"). */
  readonly trustedProxies: readonly string[];
  /** TWILIO_SIGNATURE_PORTS: whether a signature over the URL with the default port added or removed passes. */
  readonly signaturePorts: 'strict' | 'either';
}

/** The security part of Config; returns problems instead of throwing so all are listed at once. */
export function securityConfig(e: SecurityEnv): { config?: SecurityConfig; problems: string[] } {
  const problems: string[] = [];
  const attempt = <T>(name: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const limits: AbuseLimits = Object.freeze({
    code: attempt('LIMITS_CODES', () => parseLimitTable(e.LIMITS_CODES, DEFAULT_LIMITS.code), DEFAULT_LIMITS.code),
    bootstrap: attempt(
      'LIMITS_BOOTSTRAPS',
      () => parseLimitTable(e.LIMITS_BOOTSTRAPS, DEFAULT_LIMITS.bootstrap),
      DEFAULT_LIMITS.bootstrap,
    ),
    lockout: attempt('CODE_LOCKOUT', () => parseRate(e.CODE_LOCKOUT), DEFAULT_LIMITS.lockout),
  });
  if (e.PUSH_SECURITY !== 'USERPIN' && !e.SUBSCRIBER_LOOKUP_URL)
    problems.push(`PUSH_SECURITY=${e.PUSH_SECURITY}: needs SUBSCRIBER_LOOKUP_URL (the IMSI is the key)`);
  if (Boolean(e.SUBSCRIBER_LOOKUP_URL) !== Boolean(e.SUBSCRIBER_LOOKUP_SECRET))
    problems.push('SUBSCRIBER_LOOKUP_URL and SUBSCRIBER_LOOKUP_SECRET: set both or neither');
  const list = (s: string | undefined) =>
    Object.freeze(
      (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
  for (const p of list(e.TRUSTED_PROXIES).map(TrustedProxies.problem)) if (p) problems.push(`TRUSTED_PROXIES: ${p}`);
  if (problems.length) return { problems };
  return {
    problems,
    config: Object.freeze({
      limits,
      destination: Object.freeze({ countries: list(e.DESTINATION_COUNTRIES), types: list(e.DESTINATION_TYPES) }),
      pushSecurity: e.PUSH_SECURITY,
      subscriberLookup:
        e.SUBSCRIBER_LOOKUP_URL && e.SUBSCRIBER_LOOKUP_SECRET
          ? Object.freeze({ url: e.SUBSCRIBER_LOOKUP_URL, secret: e.SUBSCRIBER_LOOKUP_SECRET })
          : null,
      retentionDays: e.RETENTION_DAYS,
      corsOrigins: list(e.CORS_ORIGINS),
      trustedProxies: list(e.TRUSTED_PROXIES),
      signaturePorts: e.TWILIO_SIGNATURE_PORTS,
    }),
  };
}

/** Defaults for code that builds a Config by hand (tests, the bench). */
export const DEFAULT_SECURITY: SecurityConfig = securityConfig(z.object(SECURITY_ENV).parse({})).config!;
