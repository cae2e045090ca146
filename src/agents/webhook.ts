import type { Job, Processor } from 'bullmq';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from '../dm/signature.js';
import { BootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { AgentWebhookJobData } from '../queues/catalogue.js';
import { toJobError } from '../queues/job-error.js';
import type { TransferStore } from './transfers.js';
import { agentBootstrapView } from './view.js';

/** The same event id on every retry, so the contact centre can drop duplicates. */
export const EVENT_ID_HEADER = 'x-bootline-event-id';

/** One job per transfer, round and status: a change queued twice is one delivery. */
export function webhookJobId(d: AgentWebhookJobData): string {
  return `agent-${d.transferId}-${d.round}-${d.status}`;
}

/**
 * Delivers one state change to AGENT_WEBHOOK_URL, signed like DM registrations:
 * `X-Bootline-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
 * `X-Bootline-Timestamp` (Unix seconds). 2xx = done; 408, 429, 5xx and network errors are
 * retried with backoff; any other 4xx means the receiver refuses this event for good.
 */
export function createAgentWebhookProcessor(d: AgentWebhookDeps): Processor<AgentWebhookJobData> {
  return async (job) => {
    try {
      await deliver(d, job);
    } catch (err) {
      throw await toJobError(err);
    }
  };
}

export interface AgentWebhookDeps {
  readonly url: string;
  readonly secret: string;
  readonly transfers: TransferStore;
  readonly store: BootstrapStore;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

async function deliver(d: AgentWebhookDeps, job: Job<AgentWebhookJobData>): Promise<void> {
  const t = await d.transfers.get(job.data.transferId);
  if (!t) throw new BootlineError('NOT_FOUND', 'transfer record gone');
  const bs = t.bootstrapId ? await d.store.get(t.bootstrapId) : null;
  const body = JSON.stringify({
    event: 'bootstrap.status',
    id: job.id,
    transferId: t.id,
    agentId: t.agentId ?? null,
    ticketId: t.ticketId ?? null,
    callSid: t.callSid ?? null,
    flow: t.flowId,
    status: job.data.status,
    round: job.data.round,
    bootstrap: bs ? agentBootstrapView(bs) : null,
    sentAt: new Date().toISOString(),
  });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(d.url, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(ts),
      [SIGNATURE_HEADER]: signBody(d.secret, ts, body),
      [EVENT_ID_HEADER]: job.id ?? '',
    },
  }).catch((err: Error) => {
    throw new BootlineError('AGENT_WEBHOOK_UNAVAILABLE', `agent webhook unreachable: ${err.message}`);
  });
  await res.body?.cancel();
  if (res.ok) {
    d.logger.info(
      { transferId: t.id, status: job.data.status, attempt: job.attemptsMade + 1 },
      'agent webhook delivered',
    );
    return;
  }
  const retry = res.status === 408 || res.status === 429 || res.status >= 500;
  if (!retry) throw new BootlineError('AGENT_WEBHOOK_REFUSED', `agent webhook refused: HTTP ${res.status}`);
  throw new BootlineError('AGENT_WEBHOOK_UNAVAILABLE', `agent webhook answered HTTP ${res.status}`);
}
