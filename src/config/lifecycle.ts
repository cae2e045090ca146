import { z } from 'zod';

/** Environment settings of the delivery lifecycle past the SMS: enrolment tracking and outbound events. */
export const LIFECYCLE_ENV = {
  ENROLMENT_WINDOW_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(0)
    .describe(
      'Seconds a delivered bootstrap has to open its first DM session before it becomes not-enrolled; ' +
        '0 = enrolment not tracked (no DM server posts session signals): the wait-for-enrolment step is skipped',
    ),
  EVENT_SUBSCRIBERS: z
    .string()
    .optional()
    .describe(
      'Outbound CloudEvents subscribers, a JSON array of {"name","url","secret","doors"?,"references"?,"mode"?}: ' +
        'name [a-z0-9-], secret ≥ 16 characters (HMAC-SHA256), doors (hotline, web, pos, batch, network) and ' +
        'references (exact, or a prefix ending in *) filter what a subscriber gets, ' +
        'mode structured (default) or binary',
    ),
  EVENTS_SOURCE: z.string().optional().describe('CloudEvents `source` of outbound events; default PUBLIC_BASE_URL'),
} as const;

type LifecycleEnv = z.output<z.ZodObject<typeof LIFECYCLE_ENV>>;

const DOOR = z.enum(['hotline', 'web', 'pos', 'batch', 'network']);
const SUBSCRIBER = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'name: [a-z0-9-], up to 40 characters'),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16, 'secret: at least 16 characters'),
  doors: z.array(DOOR).optional(),
  references: z.array(z.string().min(1).max(100)).optional(),
  mode: z.enum(['structured', 'binary']).default('structured'),
});

export type SubscriberConfig = z.output<typeof SUBSCRIBER>;

export interface LifecycleConfig {
  /** 0: enrolment is not tracked. */
  readonly enrolmentWindowS: number;
  readonly events: { readonly source: string | null; readonly subscribers: readonly SubscriberConfig[] };
}

/** The lifecycle part of Config; returns problems instead of throwing so all are listed at once. */
export function lifecycleConfig(e: LifecycleEnv): { config: LifecycleConfig; problems: string[] } {
  const problems: string[] = [];
  let subscribers: SubscriberConfig[] = [];
  if (e.EVENT_SUBSCRIBERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(e.EVENT_SUBSCRIBERS);
    } catch {
      raw = null;
    }
    const parsed = z.array(SUBSCRIBER).safeParse(raw);
    const issues = parsed.error?.issues.map((i) => `${i.path.join('.') || 'json'}: ${i.message}`) ?? [];
    if (!parsed.success) problems.push(`EVENT_SUBSCRIBERS: ${issues.join('; ')}`);
    else subscribers = parsed.data;
    const names = subscribers.map((s) => s.name);
    if (new Set(names).size !== names.length || names.includes('agent'))
      problems.push('EVENT_SUBSCRIBERS: names must be unique and not "agent" (the contact centre webhook\'s)');
  }
  return {
    problems,
    config: Object.freeze({
      enrolmentWindowS: e.ENROLMENT_WINDOW_S,
      events: Object.freeze({ source: e.EVENTS_SOURCE ?? null, subscribers: Object.freeze(subscribers) }),
    }),
  };
}
