/** Owns the bootstrap records in Redis: create, read, credentials, lease, status transitions. */
import type { TndsEncoding } from '../../codec/document/model.js';
import type { DataCoding } from '../../codec/sms/segment.js';
import { BootlineError, type ErrorCode } from '../../errors.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { seal, unseal } from '../../platform/seal.js';
import { runScript } from '../../platform/redis/scripts.js';
import { CREATE, FAIL, MARK_PUBLISHED, MARK_REGISTERED, RELEASE, RETRY } from './scripts.js';
import { NOT_ENROLLED, SESSION_EVENT } from './enrolment-scripts.js';
import {
  toRecord,
  type BootstrapRecord,
  type BootstrapStatus,
  type DmCredentials,
  type MatchedBy,
  type Origin,
  type Profile,
  type SecMethod,
} from '../record.js';
import { causeOfError, type FailureCause } from '../lifecycle.js';
import { parseTimeline, type SeedEvent, type TimelineEvent } from '../timeline.js';
import {
  applyReceipts,
  recordRun,
  startRun,
  type AcceptedSegment,
  type ReceiptEntry,
  type RecordRunOptions,
  type RunSnapshot,
} from './run-store.js';

export type { BootstrapRecord, BootstrapStatus, DmCredentials, SegmentView } from '../record.js';

/** Status retention, and the PIN's: long enough for retries and an operator's retry after a failed delivery. */
export const RECORD_TTL_S = 30 * 24 * 3600;
const PIN_TTL_S = 3600;

/** What a new record holds; origin, profile and SEC method default to a hotline CP push (SEC from config). */
export interface NewBootstrap {
  readonly id: string;
  readonly msisdn: string;
  readonly flowId: string;
  /** Null or absent when the SEC method needs none (NETWPIN). */
  readonly pin?: string | null;
  readonly origin?: Origin;
  readonly profile?: Profile;
  readonly sec?: SecMethod;
  /** Kept sealed (the DM profile's device id); its TAC in clear. */
  readonly imei?: string;
  /** The device profile and why it was chosen (device-choice.ts), and what it resolved to. */
  readonly deviceProfile?: string;
  readonly matchedBy?: MatchedBy;
  readonly tnds?: TndsEncoding;
  readonly dataCoding?: DataCoding;
  /** Events the door saw before it asked (verified, pin-issued), with their times. */
  readonly seeds?: readonly SeedEvent[];
  /** The intake made the PIN now: a pin-issued event. */
  readonly pinIssuedNow?: boolean;
}

/** Where an SMSC message id points: which bootstrap, which round, which segment. */
export interface SmscRef {
  readonly id: string;
  readonly round: number;
  readonly index: number;
}

/**
 * Redis-backed bootstrap records: status with timestamps and errors, the sealed PIN (own
 * key, short TTL), sealed DM credentials, the segments the SMSC accepted (with their
 * message ids) and the receipts per segment; plus a number → ids index for lookups.
 */
export class BootstrapStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private at(): string {
    return this.now().toISOString();
  }

  /**
   * Creates the record, the sealed PIN and the first timeline events in one script; false if
   * the id already existed (nothing is changed then). The number → ids index (another slot)
   * is written after, and again by every repeat, so a crash between the two is healed by the
   * door's retry.
   */
  async create(input: NewBootstrap): Promise<boolean> {
    const at = this.at();
    const origin = input.origin ?? { door: 'hotline', by: '' };
    const fields: Record<string, string> = {
      msisdn: input.msisdn,
      flowId: input.flowId,
      door: origin.door,
      by: origin.by,
      profile: input.profile ?? 'cp',
      ...(origin.reference ? { ref: origin.reference } : {}),
      ...(input.sec ? { sec: input.sec } : {}),
      ...(input.deviceProfile ? { deviceProfile: input.deviceProfile } : {}),
      ...(input.matchedBy ? { matchedBy: input.matchedBy } : {}),
      ...(input.tnds ? { tnds: input.tnds } : {}),
      ...(input.dataCoding !== undefined ? { dataCoding: String(input.dataCoding) } : {}),
      ...(input.imei
        ? { tac: input.imei.slice(0, 8), imeiSealed: seal(this.key, input.imei, `${input.id}:imei`) }
        : {}),
    };
    const requested = {
      door: origin.door,
      by: origin.by,
      ...(origin.reference ? { reference: origin.reference } : {}),
    };
    const keys = [KEYS.bootstrap(input.id), KEYS.bootstrapPin(input.id), KEYS.bootstrapTimeline(input.id)];
    const created = await runScript(this.redis, CREATE, keys, [
      input.id,
      at,
      input.pin ? seal(this.key, input.pin, input.id) : '',
      PIN_TTL_S,
      RECORD_TTL_S,
      JSON.stringify(fields),
      JSON.stringify(input.seeds ?? []),
      JSON.stringify(requested),
      input.pinIssuedNow ? 1 : 0,
    ]);
    const ix = KEYS.msisdnIndex(input.msisdn);
    await this.redis.pipeline().zadd(ix, 'NX', this.now().getTime(), input.id).expire(ix, RECORD_TTL_S).exec();
    return created === 1;
  }

  /** Status and number of an existing record (an idempotent repeat compares them), or null. */
  async brief(id: string): Promise<{ status: BootstrapStatus; msisdn: string } | null> {
    const [status, msisdn] = await this.redis.hmget(KEYS.bootstrap(id), 'status', 'msisdn');
    return status && msisdn ? { status: status as BootstrapStatus, msisdn } : null;
  }

  /** The timeline, in order; `from` skips the first events (a sequence number is its index + 1). */
  async timeline(id: string, from = 0): Promise<TimelineEvent[]> {
    return parseTimeline(await this.redis.lrange(KEYS.bootstrapTimeline(id), from, -1));
  }

  /** The record with its segments and receipts; never the PIN or credentials. */
  async get(id: string): Promise<BootstrapRecord | null> {
    const res = await this.redis
      .multi()
      .hgetall(KEYS.bootstrap(id))
      .hgetall(KEYS.bootstrapSegments(id))
      .hgetall(KEYS.bootstrapReceipts(id))
      .exec();
    const [h, seg, dlr] = (res ?? []).map(([, v]) => (v ?? {}) as Record<string, string>) as [
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
    ];
    return h?.id ? toRecord(h, seg, dlr) : null;
  }

  /** Just the status: what the flow's wait-for-delivery step polls. */
  async status(id: string): Promise<BootstrapStatus | null> {
    return (await this.redis.hget(KEYS.bootstrap(id), 'status')) as BootstrapStatus | null;
  }

  /** Newest first. */
  async idsForMsisdn(e164: string, limit = 20): Promise<string[]> {
    return this.redis.zrevrange(KEYS.msisdnIndex(e164), 0, limit - 1);
  }

  async pin(id: string): Promise<string> {
    const sealed = await this.redis.get(KEYS.bootstrapPin(id));
    const pin = sealed === null ? null : unseal(this.key, sealed, id);
    if (pin === null) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `PIN for ${id} is gone or unreadable`);
    return pin;
  }

  /** Returns the stored credentials, or stores `fresh()` (first attempt) and returns it. */
  async credentials(id: string, fresh: () => DmCredentials): Promise<DmCredentials> {
    const k = KEYS.bootstrap(id);
    // One round trip: HSETNX and HGET in one MULTI (the push hot path).
    const res = await this.redis
      .multi()
      .hsetnx(k, 'cred', seal(this.key, JSON.stringify(fresh()), `${id}:cred`))
      .hget(k, 'cred')
      .exec();
    const stored = (res?.[1]?.[1] ?? null) as string | null;
    const open = stored === null ? null : unseal(this.key, stored, `${id}:cred`);
    if (open === null) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `credentials for ${id} unreadable`);
    return JSON.parse(open) as DmCredentials;
  }

  /** A push run's first round trip: lease, credentials, what it reads (push-run-store.ts). */
  startRun(id: string, owner: string, ttlMs: number, fresh: () => DmCredentials): Promise<RunSnapshot | null> {
    return startRun(this.redis, this.key, id, owner, ttlMs, fresh);
  }

  /** A burst of accepted segments in one write; the last one also ends the run (push-run-store.ts). */
  recordRun(
    id: string,
    segs: readonly AcceptedSegment[],
    o: Omit<RecordRunOptions, 'at' | 'ttlS'>,
  ): Promise<BootstrapStatus | null> {
    return recordRun(this.redis, id, segs, { ...o, at: this.at(), ttlS: RECORD_TTL_S });
  }

  /** Records the DM registration (and its timeline event) unless it is recorded. */
  async markRegistered(id: string): Promise<void> {
    await runScript(this.redis, MARK_REGISTERED, [KEYS.bootstrap(id), KEYS.bootstrapTimeline(id)], [this.at()]);
  }

  /**
   * Fencing for segment submits. BullMQ re-runs a job whose lock lapsed (its worker died, or
   * stalled past WORKER_LOCK_MS) possibly while the first run still goes: without a lease both
   * would send the segments neither had recorded yet. startRun claims the lease (or extends our
   * own) before reading the recorded segments, in one script, and a run holds it until its
   * submits go out: while the lease it took has not run out no other run can take it, so a run
   * claims and reads again before its submits only once a quarter of the TTL has passed
   * (processor.ts). The run that lost it stops (BOOTSTRAP_BUSY, retried later). This lets go
   * of it if it is still ours.
   */
  async releaseSubmit(id: string, owner: string): Promise<void> {
    await runScript(this.redis, RELEASE, [KEYS.bootstrapLease(id)], [owner]);
  }

  /**
   * Ends a bootstrap still on its SMS leg as failed/expired with the reason and its failure
   * cause (by default the one of `code`, lifecycle.ts); one past it is left alone.
   */
  async fail(
    id: string,
    status: 'failed' | 'expired',
    code: ErrorCode | '',
    message: string,
    smscError = '',
    cause: { cause: FailureCause; detail: string } = { cause: causeOfError(code), detail: '' },
  ): Promise<BootstrapStatus | null> {
    return (await runScript(
      this.redis,
      FAIL,
      [KEYS.bootstrap(id), KEYS.bootstrapTimeline(id)],
      [status, this.at(), code, message, smscError, cause.cause, cause.detail],
    )) as BootstrapStatus | null;
  }

  async smscRef(messageId: string): Promise<SmscRef | null> {
    const v = await this.redis.get(KEYS.smscMessage(messageId));
    if (!v) return null;
    const [id, round, index] = v.split(' ');
    return { id: id!, round: Number(round), index: Number(index) };
  }

  /** Receipts of one bootstrap and round in one script, applied in order (push-run-store.ts). */
  applyReceipts(
    ref: Pick<SmscRef, 'id' | 'round'>,
    receipts: readonly ReceiptEntry[],
  ): Promise<BootstrapStatus | 'stale' | null> {
    return applyReceipts(this.redis, ref, receipts, this.at(), RECORD_TTL_S);
  }

  /** failed/expired → queued in a new round (segments and receipts of the old round forgotten). */
  async retry(id: string): Promise<number> {
    const keys = [
      KEYS.bootstrap(id),
      KEYS.bootstrapSegments(id),
      KEYS.bootstrapReceipts(id),
      KEYS.bootstrapPin(id),
      KEYS.bootstrapTimeline(id),
    ];
    const r = (await runScript(this.redis, RETRY, keys, [this.at()])) as string | null;
    if (r === null) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no bootstrap ${id}`);
    if (r === 'pin-expired')
      throw new BootlineError(
        'BOOTSTRAP_SECRET_EXPIRED',
        'the PIN of this bootstrap has expired; the caller must call again',
      );
    if (r.startsWith('not-retryable:'))
      throw new BootlineError('BOOTSTRAP_NOT_RETRYABLE', `bootstrap is ${r.slice(14)}`);
    return Number(r);
  }

  /** Status and round (what a follow-up needs), or null. */
  async stateOf(id: string): Promise<{ status: BootstrapStatus; round: number } | null> {
    const [status, round] = await this.redis.hmget(KEYS.bootstrap(id), 'status', 'round');
    return status ? { status: status as BootstrapStatus, round: Number(round ?? 1) } : null;
  }

  /** Remembers which bootstrap a DM account belongs to, for the DM server's session signals. */
  async indexClient(clientName: string, id: string): Promise<void> {
    // The record names its index entry (the account name is no secret: the DM server logs it), for the purge.
    await Promise.all([
      this.redis.set(KEYS.dmClient(clientName), id, 'EX', RECORD_TTL_S),
      this.redis.hset(KEYS.bootstrap(id), 'dmClient', clientName),
    ]);
  }

  async bootstrapForClient(clientName: string): Promise<string | null> {
    return this.redis.get(KEYS.dmClient(clientName));
  }

  /**
   * A session signal of the DM server: `session-started` → enrolled (from any other state: the
   * DM server is the last word), `auth-failed` → failed with DM_AUTH_FAILED and its cause.
   */
  async sessionEvent(
    id: string,
    event: 'session-started' | 'auth-failed',
    reportedAt: string,
    cause = '',
  ): Promise<{ status: BootstrapStatus; changed: boolean } | null> {
    const keys = [KEYS.bootstrap(id), KEYS.bootstrapTimeline(id)];
    const r = (await runScript(this.redis, SESSION_EVENT, keys, [this.at(), event, reportedAt, cause])) as
      | [string, number]
      | null;
    return r ? { status: r[0] as BootstrapStatus, changed: r[1] === 1 } : null;
  }

  /** The enrolment deadline of `round`: delivered → not-enrolled; any other state is left alone. */
  async notEnrolled(id: string, round: number, windowS: number): Promise<BootstrapStatus | null> {
    const keys = [KEYS.bootstrap(id), KEYS.bootstrapTimeline(id)];
    return (await runScript(this.redis, NOT_ENROLLED, keys, [this.at(), round, windowS])) as BootstrapStatus | null;
  }

  /** The last timeline seq whose events are published, and the origin subscribers filter by; null without a record. */
  async publishMark(id: string): Promise<{ published: number; origin: Origin } | null> {
    const [door, by, ref, published] = await this.redis.hmget(KEYS.bootstrap(id), 'door', 'by', 'ref', 'published');
    if (door === null && by === null && published === null && !(await this.redis.exists(KEYS.bootstrap(id))))
      return null;
    const origin = { door: (door ?? 'hotline') as Origin['door'], by: by ?? '', ...(ref ? { reference: ref } : {}) };
    return { published: Number(published ?? 0), origin };
  }

  async markPublished(id: string, seq: number): Promise<void> {
    await runScript(this.redis, MARK_PUBLISHED, [KEYS.bootstrap(id)], [seq]);
  }

  /** One timeline event by its sequence number, or null. */
  async timelineEvent(id: string, seq: number): Promise<TimelineEvent | null> {
    const raw = await this.redis.lindex(KEYS.bootstrapTimeline(id), seq - 1);
    return raw === null ? null : (parseTimeline([raw])[0] ?? null);
  }

  /** Status and failure cause: what the flow's wait-for-enrolment step polls. */
  async stateAndCause(id: string): Promise<{ status: BootstrapStatus; cause: string | null } | null> {
    const [status, cause] = await this.redis.hmget(KEYS.bootstrap(id), 'status', 'cause');
    return status ? { status: status as BootstrapStatus, cause: cause || null } : null;
  }
}
