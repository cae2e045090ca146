import type { EventContext, Subscriber } from '../deliveries/events/subscribers.js';
import type { TransferStore } from './transfers.js';
import { agentBootstrapView } from './view.js';

/** The origin reference the hotline gives a bootstrap of a call an agent sent in (voice/steps/enqueue-bootstrap.ts). */
export const AGENT_REFERENCE_PREFIX = 'agent-';

/**
 * The contact centre's webhook (AGENT_WEBHOOK_URL) as a subscriber of the outbound event
 * stream: it hears the state changes of bootstraps a call handed in by an agent asked for
 * (hotline door, reference `agent-<transferId>`), pushed as they happen. CloudEvents binary
 * mode keeps the body the contact centre already reads (its ids, the state, the agent's view
 * of the bootstrap); the CloudEvents attributes ride in `ce-*` headers, and the body is signed
 * like every other event.
 */
export function agentSubscriber(webhook: { url: string; secret: string }, transfers: TransferStore): Subscriber {
  return {
    name: 'agent',
    url: webhook.url,
    secret: webhook.secret,
    doors: ['hotline'],
    references: [`${AGENT_REFERENCE_PREFIX}*`],
    mode: 'binary',
    data: (c) => agentEventData(c, transfers),
  };
}

async function agentEventData(c: EventContext, transfers: TransferStore): Promise<unknown> {
  const transferId = c.record.origin.reference?.slice(AGENT_REFERENCE_PREFIX.length) ?? '';
  const t = await transfers.get(transferId);
  return {
    event: 'bootstrap.status',
    id: c.id,
    transferId,
    agentId: t?.agentId ?? null,
    ticketId: t?.ticketId ?? null,
    callSid: t?.callSid ?? null,
    flow: t?.flowId ?? c.record.flowId,
    status: c.event.event,
    round: c.event.round ?? c.record.round,
    bootstrap: agentBootstrapView(c.record),
    sentAt: new Date().toISOString(),
  };
}
