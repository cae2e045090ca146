import { maskPhone } from '../platform/mask.js';
import type { BootstrapRecord } from '../deliveries/record.js';
import type { TransferRecord } from './transfers.js';

/**
 * A bootstrap as an agent (and the contact centre webhook) sees it: state, masked number,
 * timestamps, how many segments the handset has. No SMSC ids, no SMSC error text, and of
 * course never the PIN or credentials (the record does not carry them).
 */
export function agentBootstrapView(r: BootstrapRecord) {
  return {
    id: r.id,
    status: r.status,
    to: maskPhone(r.msisdn),
    flowId: r.flowId,
    round: r.round,
    timestamps: {
      createdAt: r.createdAt,
      submittedAt: r.submittedAt ?? null,
      deliveredAt: r.deliveredAt ?? null,
      failedAt: r.failedAt ?? null,
      expiredAt: r.expiredAt ?? null,
      updatedAt: r.updatedAt,
    },
    segments: {
      total: r.segments ?? null,
      delivered: r.segmentStates.filter((s) => s.receipt?.state === 'DELIVRD').length,
    },
    errorCode: r.errorCode ?? null,
  };
}

/** A transfer for its agent: ids and states; the prefilled number never leaves sealed storage. */
export function transferView(t: TransferRecord, bootstrap: BootstrapRecord | null) {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    flow: t.flowId,
    callSid: t.callSid ?? null,
    agentId: t.agentId ?? null,
    ticketId: t.ticketId ?? null,
    language: t.language ?? null,
    prefilled: Boolean(t.prefillSealed),
    returnTo: t.returnTo ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    error: t.error ?? null,
    bootstrap: bootstrap ? agentBootstrapView(bootstrap) : null,
  };
}
