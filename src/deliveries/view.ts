/** Owns the outside view of a bootstrap (status API, console, agents' view builds on it). */
import { maskPhone } from '../platform/mask.js';
import type { BootstrapRecord } from './record.js';
import type { TimelineEvent } from './timeline.js';

export interface ViewOptions {
  /** The number in full (an operator); everyone else sees it masked. */
  readonly reveal?: boolean;
  /** The timeline, when the caller read it (the status API by id). */
  readonly timeline?: readonly TimelineEvent[];
}

/**
 * What the status API shows of a bootstrap: state, origin, choices, timestamps, segments with
 * their SMSC ids and receipts, the failure cause and errors, and (by id) its timeline. Never
 * the PIN, the IMEI or the credentials (the store does not even read them here); the number
 * masked unless an operator asks: whoever asks by number already has it.
 */
export function bootstrapView(r: BootstrapRecord, o: ViewOptions = {}) {
  return {
    id: r.id,
    status: r.status,
    to: o.reveal ? r.msisdn : maskPhone(r.msisdn),
    flowId: r.flowId,
    origin: { door: r.origin.door, by: r.origin.by, reference: r.origin.reference ?? null },
    profile: r.profile,
    sec: r.sec ?? null,
    tac: r.tac ?? null,
    deviceProfile: r.deviceProfile ?? null,
    matchedBy: r.matchedBy ?? null,
    tnds: r.tnds ?? null,
    dataCoding: r.dataCoding === undefined ? null : r.dataCoding === 0xf5 ? '0xF5' : '0x04',
    round: r.round,
    dmRegistered: Boolean(r.registeredAt),
    timestamps: {
      createdAt: r.createdAt,
      queuedAt: r.queuedAt ?? null,
      registeredAt: r.registeredAt ?? null,
      submittedAt: r.submittedAt ?? null,
      deliveredAt: r.deliveredAt ?? null,
      enrolledAt: r.enrolledAt ?? null,
      failedAt: r.failedAt ?? null,
      expiredAt: r.expiredAt ?? null,
      notEnrolledAt: r.notEnrolledAt ?? null,
      updatedAt: r.updatedAt,
    },
    segmentCount: r.segments ?? null,
    segments: r.segmentStates.map((s) => ({ segment: s.segment, smscId: s.smscId, receipt: s.receipt ?? null })),
    cause: r.cause ? { code: r.cause, detail: r.causeDetail ?? '' } : null,
    error:
      r.error || r.errorCode || r.smscError
        ? { code: r.errorCode ?? null, message: r.error ?? null, smscError: r.smscError ?? null }
        : null,
    ...(o.timeline ? { timeline: o.timeline } : {}),
  };
}

export type BootstrapView = ReturnType<typeof bootstrapView>;
