/**
 * Owns the shape of a bootstrap record: its state (lifecycle.ts), origin, per-bootstrap
 * choices, timestamps, failure cause, segments and their receipts.
 */
import type { TndsEncoding } from '../codec/document/model.js';
import type { SecMethod } from '../codec/security/mac.js';
import type { DataCoding } from '../codec/sms/segment.js';
import type { DmCredentials } from '../dm/credentials.js';
import type { BootstrapState, FailureCause } from './lifecycle.js';

export type { DmCredentials, SecMethod };

/** The bootstrap record as the rest of bootline sees it (store.ts keeps it in Redis hashes). */
export type BootstrapStatus = BootstrapState;

/** The ways in: every door calls the intake (intake.ts). */
export const DOORS = ['hotline', 'web', 'pos', 'batch', 'network'] as const;
export type Door = (typeof DOORS)[number];

/**
 * Who asked: the door, a masked actor (masked caller id, clerk token name, batch id and row,
 * network event id) and the integrator's reference (a POS sale id, an agent's transfer).
 */
export interface Origin {
  readonly door: Door;
  readonly by: string;
  readonly reference?: string;
}

/** Why a device profile was chosen (device-choice.ts): named by the request, its IMEI's TAC, operator, default. */
export type MatchedBy = 'request' | 'tac' | 'operator' | 'default';

/** Bootstrap Message profile: OMA CP (w7 APPLICATION) or OMA DM (TNDS). */
export type Profile = 'cp' | 'dm';

export interface SegmentView {
  /** 1-based, as in the concatenation IE (the store keeps the codec's index). */
  readonly segment: number;
  readonly smscId: string;
  readonly receipt?: { readonly state: string; readonly err: string; readonly at: string };
}

export interface BootstrapRecord {
  readonly id: string;
  readonly msisdn: string;
  readonly status: BootstrapStatus;
  readonly flowId: string;
  readonly origin: Origin;
  readonly profile: Profile;
  /** The SEC method; absent on records made before it was recorded (the worker then uses PUSH_SECURITY). */
  readonly sec?: SecMethod;
  /** The IMEI's Type Allocation Code (its first 8 digits), when the door knew the IMEI. */
  readonly tac?: string;
  /** The device profile the push is built for (by name), and why it was chosen (device-choice.ts). */
  readonly deviceProfile?: string;
  readonly matchedBy?: MatchedBy;
  /** The DM profile's TNDS encoding (absent: inline). */
  readonly tnds?: TndsEncoding;
  /** The SMS data coding (absent: the worker's SMS_DATA_CODING). */
  readonly dataCoding?: DataCoding;
  /** 1, then +1 for each operator retry. */
  readonly round: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly queuedAt?: string;
  readonly registeredAt?: string;
  readonly submittedAt?: string;
  readonly deliveredAt?: string;
  readonly failedAt?: string;
  readonly expiredAt?: string;
  readonly enrolledAt?: string;
  readonly notEnrolledAt?: string;
  readonly segments?: number;
  /** SMSC message ids of the accepted segments, in segment order. */
  readonly smscIds?: string[];
  readonly segmentStates: readonly SegmentView[];
  readonly errorCode?: string;
  readonly error?: string;
  /** The `err:` of a failing receipt (SMSC/network specific). */
  readonly smscError?: string;
  /** Why it failed, expired or was not enrolled (lifecycle.ts FAILURE_CAUSES), with its detail. */
  readonly cause?: FailureCause;
  readonly causeDetail?: string;
}

const OPTIONAL = [
  'queuedAt',
  'registeredAt',
  'submittedAt',
  'deliveredAt',
  'failedAt',
  'expiredAt',
  'enrolledAt',
  'notEnrolledAt',
  'errorCode',
  'error',
  'smscError',
  'cause',
  'causeDetail',
  'sec',
  'tac',
  'deviceProfile',
  'matchedBy',
  'tnds',
] as const;

/** Builds the record from its hashes; the sealed credentials field is never copied. */
export function toRecord(
  h: Record<string, string>,
  seg: Record<string, string>,
  dlr: Record<string, string>,
): BootstrapRecord {
  const segmentStates = Object.entries(seg)
    .map(([i, smscId]) => {
      const r = dlr[smscId]?.split('|');
      return {
        segment: Number(i),
        smscId,
        ...(r ? { receipt: { state: r[0]!, err: r[1] ?? '', at: r[2] ?? '' } } : {}),
      };
    })
    .sort((a, b) => a.segment - b.segment);
  const optional = Object.fromEntries(OPTIONAL.filter((k) => h[k]).map((k) => [k, h[k]]));
  return {
    id: h.id!,
    msisdn: h.msisdn!,
    status: h.status as BootstrapStatus,
    flowId: h.flowId ?? '',
    // Records made before origins were kept came from the hotline.
    origin: { door: (h.door ?? 'hotline') as Door, by: h.by ?? '', ...(h.ref ? { reference: h.ref } : {}) },
    profile: h.profile === 'dm' ? 'dm' : 'cp',
    round: Number(h.round ?? 1),
    createdAt: h.createdAt!,
    updatedAt: h.updatedAt!,
    ...optional,
    ...(h.segments ? { segments: Number(h.segments) } : {}),
    ...(h.dataCoding ? { dataCoding: Number(h.dataCoding) === 0xf5 ? 0xf5 : 0x04 } : {}),
    ...(segmentStates.length ? { smscIds: segmentStates.map((s) => s.smscId) } : {}),
    segmentStates,
  };
}
