/** Owns the shape of a bootstrap record: its statuses, timestamps, segments and their receipts. */
import type { DmCredentials } from '../dm/credentials.js';

export type { DmCredentials };

/** The bootstrap record as the rest of bootline sees it (store.ts keeps it in Redis hashes). */
export type BootstrapStatus = 'queued' | 'submitted' | 'delivered' | 'failed' | 'expired';

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
  readonly segments?: number;
  /** SMSC message ids of the accepted segments, in segment order. */
  readonly smscIds?: string[];
  readonly segmentStates: readonly SegmentView[];
  readonly errorCode?: string;
  readonly error?: string;
  /** The `err:` of a failing receipt (SMSC/network specific). */
  readonly smscError?: string;
}

const OPTIONAL = [
  'queuedAt',
  'registeredAt',
  'submittedAt',
  'deliveredAt',
  'failedAt',
  'expiredAt',
  'errorCode',
  'error',
  'smscError',
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
    round: Number(h.round ?? 1),
    createdAt: h.createdAt!,
    updatedAt: h.updatedAt!,
    ...optional,
    ...(h.segments ? { segments: Number(h.segments) } : {}),
    ...(segmentStates.length ? { smscIds: segmentStates.map((s) => s.smscId) } : {}),
    segmentStates,
  };
}
