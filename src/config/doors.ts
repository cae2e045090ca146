import { z } from 'zod';
import { parseNetworkPolicy, type NetworkPolicy } from '../policy/network-events.js';

/** Environment settings of the doors other than the hotline (docs/guides/). */
export const DOORS_ENV = {
  SETUP_PAGE: z
    .enum(['on', 'off'])
    .default('on')
    .describe('The self-service page /setup (number → code by SMS → PIN → delivery state)'),
  SETUP_CHALLENGE: z
    .enum(['hot', 'always', 'never'])
    .default('hot')
    .describe('Proof-of-work (ALTCHA) before a code SMS: when the IP or the number range is hot, always, or never'),
  SETUP_CHALLENGE_HOT: z
    .string()
    .regex(/^(ip|prefix)=\d{1,6}(,(ip|prefix)=\d{1,6})?$/, 'must be ip=N,prefix=N')
    .default('ip=2,prefix=5')
    .describe(
      'Code SMS already sent in the current code-limit window from one IP / to one number range that make it hot',
    ),
  SETUP_CHALLENGE_COST: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1_000)
    .describe('PBKDF2 iterations per proof-of-work attempt'),
  SETUP_CHALLENGE_COUNTER: z.coerce
    .number()
    .int()
    .min(2)
    .max(1_000_000)
    .default(10_000)
    .describe('Largest secret counter of a challenge (the browser tries about half that many on average)'),
  NETWORK_EVENTS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Bearer token network-event senders present (the sinkCredential bootline subscribes with); unset = off'),
  NETWORK_EVENTS_POLICY: z
    .string()
    .optional()
    .describe('What each event type does: type=bootstrap[:SEC]|block:DURATION|ignore, comma-separated'),
  BATCH_WINDOW: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe("Rows of one batch queued and not yet submitted at once (the hotline's pushes interleave)"),
} as const;

type DoorsEnv = z.output<z.ZodObject<typeof DOORS_ENV>>;

export interface DoorsConfig {
  readonly setup: {
    readonly enabled: boolean;
    readonly challenge: 'hot' | 'always' | 'never';
    /** Code SMS in the current window that make an IP / a number range hot. */
    readonly hot: { readonly ip: number; readonly prefix: number };
    readonly cost: number;
    readonly counter: number;
  };
  /** Null: POST /events/network is not mounted. */
  readonly network: { readonly token: string; readonly policy: NetworkPolicy } | null;
  readonly batch: { readonly window: number };
}

/** The doors part of Config; returns problems instead of throwing so all are listed at once. */
export function doorsConfig(e: DoorsEnv): { config?: DoorsConfig; problems: string[] } {
  const problems: string[] = [];
  let policy: NetworkPolicy | null = null;
  try {
    policy = parseNetworkPolicy(e.NETWORK_EVENTS_POLICY);
  } catch (err) {
    problems.push(`NETWORK_EVENTS_POLICY: ${(err as Error).message}`);
  }
  if (problems.length) return { problems };
  const hot = Object.fromEntries(e.SETUP_CHALLENGE_HOT.split(',').map((p) => p.split('=')));
  return {
    problems,
    config: Object.freeze({
      setup: Object.freeze({
        enabled: e.SETUP_PAGE === 'on',
        challenge: e.SETUP_CHALLENGE,
        hot: Object.freeze({ ip: Number(hot.ip ?? 2), prefix: Number(hot.prefix ?? 5) }),
        cost: e.SETUP_CHALLENGE_COST,
        counter: e.SETUP_CHALLENGE_COUNTER,
      }),
      network: e.NETWORK_EVENTS_TOKEN ? Object.freeze({ token: e.NETWORK_EVENTS_TOKEN, policy: policy! }) : null,
      batch: Object.freeze({ window: e.BATCH_WINDOW }),
    }),
  };
}

/** Defaults for code that builds a Config by hand (tests, the bench). */
export const DEFAULT_DOORS: DoorsConfig = doorsConfig(z.object(DOORS_ENV).parse({})).config!;
