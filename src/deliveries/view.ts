/** Owns the outside view of a bootstrap (status API, console, agents' view builds on it). */
import { maskPhone } from '../platform/mask.js';
import type { BootstrapRecord } from './record.js';

/**
 * What the status API shows of a bootstrap: state, timestamps, segments with their SMSC
 * ids and receipts, errors. Never the PIN or the credentials (the store does not even read
 * them here), and the number masked: whoever asks by number already has it.
 */
export function bootstrapView(r: BootstrapRecord) {
  return {
    id: r.id,
    status: r.status,
    to: maskPhone(r.msisdn),
    flowId: r.flowId,
    round: r.round,
    dmRegistered: Boolean(r.registeredAt),
    timestamps: {
      createdAt: r.createdAt,
      queuedAt: r.queuedAt ?? null,
      registeredAt: r.registeredAt ?? null,
      submittedAt: r.submittedAt ?? null,
      deliveredAt: r.deliveredAt ?? null,
      failedAt: r.failedAt ?? null,
      expiredAt: r.expiredAt ?? null,
      updatedAt: r.updatedAt,
    },
    segmentCount: r.segments ?? null,
    segments: r.segmentStates.map((s) => ({ segment: s.segment, smscId: s.smscId, receipt: s.receipt ?? null })),
    error:
      r.error || r.errorCode || r.smscError
        ? { code: r.errorCode ?? null, message: r.error ?? null, smscError: r.smscError ?? null }
        : null,
  };
}
