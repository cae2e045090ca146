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

let defaults = false;
/** Process metrics (RSS, event-loop lag, GC); entrypoints call this once. */
export function collectProcessMetrics(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics({ register: metrics, prefix: 'bootline_' });
}
