/** Owns a push run's Redis round trips: the start (lease + snapshot), the segment records, the receipts. */
import { BootlineError } from '../../errors.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { seal, unseal } from '../../platform/seal.js';
import { RECEIPTS, RECORD_RUN, RECORD_RUN_WITH_POINTERS, START_RUN } from './run-scripts.js';
import { toRecord, type BootstrapRecord, type BootstrapStatus, type DmCredentials } from '../record.js';
import { runScript, runScriptNow } from '../../platform/redis/scripts.js';

/**
 * What a push run reads at its start: the record with its segments, the PIN and credentials
 * (null when gone or unreadable).
 */
export interface RunSnapshot {
  readonly rec: BootstrapRecord;
  readonly pin: string | null;
  readonly cred: DmCredentials | null;
  /** The full IMEI, sealed in the record when a door gave one (the DM profile's device id). */
  readonly imei: string | null;
}

/** One accepted segment: the codec's index and the SMSC's message id. */
export interface AcceptedSegment {
  readonly index: number;
  readonly messageId: string;
}

export interface RecordRunOptions {
  readonly round: number;
  readonly segments: number;
  /** Registered inline by this run: recorded with its first write. */
  readonly registered: boolean;
  /** This write completes the run: mark it submitted and release the lease of `owner`. */
  readonly finish: boolean;
  readonly owner: string;
  readonly at: string;
  readonly ttlS: number;
}

const runKeys = (id: string) => [
  KEYS.bootstrap(id),
  KEYS.bootstrapSegments(id),
  KEYS.bootstrapReceipts(id),
  KEYS.bootstrapPin(id),
  KEYS.bootstrapLease(id),
];
/** The run keys and the timeline: what a run's record write touches. */
const recordKeys = (id: string) => [...runKeys(id), KEYS.bootstrapTimeline(id)];

const hash = (flat: unknown): Record<string, string> => {
  const a = (flat ?? []) as string[];
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < a.length; i += 2) h[a[i]!] = a[i + 1]!;
  return h;
};

/**
 * Claims the submit lease, stores `fresh()` credentials unless some exist, and reads what the
 * run needs: one script, one round trip (store.releaseSubmit explains the lease). Throws
 * BOOTSTRAP_BUSY when another run holds the lease; null when there is no such bootstrap.
 */
export async function startRun(
  redis: RedisClient,
  key: Buffer,
  id: string,
  owner: string,
  ttlMs: number,
  fresh: () => DmCredentials,
): Promise<RunSnapshot | null> {
  const made = fresh();
  const sealedFresh = seal(key, JSON.stringify(made), `${id}:cred`);
  const res = await runScript(redis, START_RUN, runKeys(id), [owner, Math.max(1, Math.round(ttlMs)), sealedFresh]);
  if (res === 0) throw new BootlineError('BOOTSTRAP_BUSY', `another run of ${id} is submitting it`);
  if (!Array.isArray(res)) return null;
  const [h, seg, dlr] = [hash(res[0]), hash(res[1]), hash(res[2])];
  const sealedPin = (res[3] ?? null) as string | null;
  // The script kept what this run sealed (a first run): no need to open it again.
  const mine = h.cred === sealedFresh;
  const cred = mine ? null : h.cred ? unseal(key, h.cred, `${id}:cred`) : null;
  return {
    rec: toRecord(h, seg, dlr),
    pin: sealedPin === null ? null : unseal(key, sealedPin, id),
    imei: h.imeiSealed ? unseal(key, h.imeiSealed, `${id}:imei`) : null,
    cred: mine ? made : cred === null ? null : (JSON.parse(cred) as DmCredentials),
  };
}

/**
 * Records accepted segments and, with `finish`, marks the run submitted and releases the
 * lease, all in one script. Each SMSC id → segment pointer is written with its segment, so a
 * worker killed mid-write leaves both or neither (a pointer alone would make the re-run send
 * the segment again although bootline knew its id), pointer first so a receipt never beats it.
 * On a cluster the pointers live in other slots (single-key index by message id), so they
 * cannot share the script: each goes out at once as its own one-command pipeline (not behind
 * the auto-pipeline, which waits for the check phase), before the script, in the same tick.
 * A worker killed between the two then leaves a pointer without its segment (the re-run
 * sends that segment again, as if killed before both), never a recorded segment without a
 * pointer, whose receipt would be ignored and the bootstrap never delivered. The receipt
 * handler's retried lookup covers a receipt that overtakes the pointer.
 */
export async function recordRun(
  redis: RedisClient,
  id: string,
  segs: readonly AcceptedSegment[],
  o: RecordRunOptions,
): Promise<BootstrapStatus | null> {
  const pointerKeys = segs.map((s) => KEYS.smscMessage(s.messageId));
  const args: Array<string | number> = [
    id,
    o.round,
    o.ttlS,
    o.at,
    o.segments,
    o.registered ? 1 : 0,
    o.finish ? 1 : 0,
    o.owner,
  ];
  for (const s of segs) args.push(s.index, s.messageId);
  if (!redis.isCluster)
    return (await runScriptNow(
      redis,
      RECORD_RUN_WITH_POINTERS,
      [...recordKeys(id), ...pointerKeys],
      args,
    )) as BootstrapStatus | null;
  const pointers = segs.map((s, i) =>
    redis.pipeline().set(pointerKeys[i]!, `${id} ${o.round} ${s.index}`, 'EX', o.ttlS).exec(),
  );
  const [status, ...written] = await Promise.all([runScriptNow(redis, RECORD_RUN, recordKeys(id), args), ...pointers]);
  for (const res of written) {
    const err = res?.[0]?.[0];
    if (err) throw err;
  }
  return status as BootstrapStatus | null;
}

/** One delivery receipt as the receipts script takes it. */
export interface ReceiptEntry {
  readonly messageId: string;
  readonly state: string;
  readonly err: string;
  /** The segment's index (the codec's, 1-based) when the caller knows it: the timeline names it. */
  readonly segment?: number;
}

/** Receipts of one bootstrap and round in one script, applied in order (push-scripts.ts RECEIPTS). */
export async function applyReceipts(
  redis: RedisClient,
  ref: { readonly id: string; readonly round: number },
  receipts: readonly ReceiptEntry[],
  at: string,
  ttlS: number,
): Promise<BootstrapStatus | 'stale' | null> {
  const args: Array<string | number> = [ref.round, at, ttlS];
  for (const r of receipts) args.push(r.messageId, r.state, r.err, r.segment ?? '');
  const keys = [
    KEYS.bootstrap(ref.id),
    KEYS.bootstrapReceipts(ref.id),
    KEYS.bootstrapPin(ref.id),
    KEYS.bootstrapTimeline(ref.id),
  ];
  return (await runScript(redis, RECEIPTS, keys, args)) as BootstrapStatus | 'stale' | null;
}
