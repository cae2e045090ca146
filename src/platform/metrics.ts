import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one process (GET /metrics, token-protected). Labels never carry a
 * phone number, masked or not: only the action, the limit scope and the outcome.
 */
export const metrics = new Registry();

export const limitDecisions = new Counter({
  name: 'bootline_limit_decisions_total',
  help: 'Rate-limit decisions for what callers can trigger (codes, bootstraps), by scope that refused',
  labelNames: ['action', 'scope', 'outcome'] as const,
  registers: [metrics],
});

export const webhookRefusals = new Counter({
  name: 'bootline_webhook_refusals_total',
  help:
    'Twilio webhooks refused or answered from cache: ' +
    'signature (missing or wrong), duplicate (replay), ended (call over)',
  labelNames: ['reason'] as const,
  registers: [metrics],
});

export const destinationRefusals = new Counter({
  name: 'bootline_destination_refusals_total',
  help: 'Pushes the worker refused because the destination failed the destination policy',
  labelNames: ['reason'] as const,
  registers: [metrics],
});

export const doorRequests = new Counter({
  name: 'bootline_door_requests_total',
  help: 'Bootstraps asked for through a door (hotline, web, pos, batch, network), by outcome',
  labelNames: ['door', 'outcome'] as const,
  registers: [metrics],
});

/** A metric whose values are read at scrape time from where every process writes them (Redis). */
export type MetricSource = () => Promise<
  ReadonlyArray<{ readonly labels: Record<string, string>; readonly value: number }>
>;
let outcomeSource: MetricSource | null = null;

/** Sets where bootstrapOutcomes reads its totals: the web process does, at start. */
export function setBootstrapOutcomeSource(source: MetricSource): void {
  outcomeSource = source;
}

/** Clears the source if it is still `source` (another web of the same process may have set its own since). */
export function clearBootstrapOutcomeSource(source: MetricSource): void {
  if (outcomeSource === source) outcomeSource = null;
}

/**
 * Cluster-wide totals kept in Redis (the transitions happen in the worker and the web, only the
 * web serves /metrics): every web process reports the same value, so aggregate with max(), not
 * sum(). A scrape while Redis is away reports the last values read.
 */
export const bootstrapOutcomes = new Counter({
  name: 'bootline_bootstrap_outcomes_total',
  help:
    'Bootstraps by device profile and outcome (delivered, enrolled, failed, expired, not-enrolled), ' +
    'cluster-wide: the same in every web process',
  labelNames: ['profile', 'outcome'] as const,
  registers: [metrics],
  async collect() {
    if (!outcomeSource) return;
    const rows = await outcomeSource().catch(() => null);
    if (!rows) return;
    this.reset();
    for (const r of rows) this.inc(r.labels, r.value);
  },
});

let defaults = false;
/** Process metrics (RSS, event-loop lag, GC); entrypoints call this once. */
export function collectProcessMetrics(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics({ register: metrics, prefix: 'bootline_' });
}
