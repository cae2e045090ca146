import type { Redis } from 'ioredis';
import { BootlineError } from '../errors.js';
import { KEYS } from '../lib/redis.js';
import { seal, unseal } from '../lib/seal.js';

export type BootstrapStatus = 'queued' | 'submitted' | 'delivered' | 'failed' | 'expired';

export interface BootstrapRecord {
  readonly id: string;
  readonly msisdn: string;
  readonly status: BootstrapStatus;
  readonly flowId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly segments?: number;
  readonly smscIds?: string[];
  readonly error?: string;
  readonly [k: `${string}At`]: string | undefined;
}

export interface DmCredentials {
  readonly clientName: string;
  readonly clientSecret: string;
  readonly clientNonce: string;
  readonly serverName: string;
  readonly serverSecret: string;
  readonly serverNonce: string;
}

/** Status and PIN retention. The PIN lives just long enough for the worker's retries. */
const RECORD_TTL_S = 30 * 24 * 3600;
const PIN_TTL_S = 3600;

/**
 * Redis-backed bootstrap records: status with timestamps, the sealed PIN (own key, short
 * TTL), sealed DM credentials, and which segments the SMSC already accepted.
 */
export class BootstrapStore {
  constructor(private readonly redis: Redis, private readonly key: Buffer, private readonly now: () => Date = () => new Date()) {}

  /** Creates the record and stores the sealed PIN; returns false if it already existed. */
  async create(input: { id: string; msisdn: string; flowId: string; pin: string }): Promise<boolean> {
    const k = KEYS.bootstrap(input.id);
    const at = this.now().toISOString();
    const created = await this.redis.hsetnx(k, 'id', input.id);
    if (created === 0) return false;
    await this.redis
      .multi()
      .hset(k, { msisdn: input.msisdn, status: 'queued', flowId: input.flowId, createdAt: at, updatedAt: at, queuedAt: at })
      .expire(k, RECORD_TTL_S)
      .set(KEYS.bootstrapPin(input.id), seal(this.key, input.pin, input.id), 'EX', PIN_TTL_S)
      .exec();
    return true;
  }

  async get(id: string): Promise<BootstrapRecord | null> {
    const h = await this.redis.hgetall(KEYS.bootstrap(id));
    if (!h.id) return null;
    const { cred: _cred, smscIds, segments, ...rest } = h;
    return {
      ...(rest as unknown as BootstrapRecord),
      ...(segments ? { segments: Number(segments) } : {}),
      ...(smscIds ? { smscIds: JSON.parse(smscIds) as string[] } : {}),
    };
  }

  async pin(id: string): Promise<string> {
    const sealed = await this.redis.get(KEYS.bootstrapPin(id));
    const pin = sealed === null ? null : unseal(this.key, sealed, id);
    if (pin === null) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `PIN for ${id} is gone or unreadable`);
    return pin;
  }

  async forgetPin(id: string): Promise<void> {
    await this.redis.del(KEYS.bootstrapPin(id));
  }

  /** Returns the stored credentials, or stores `fresh` (first attempt) and returns it. */
  async credentials(id: string, fresh: () => DmCredentials): Promise<DmCredentials> {
    const k = KEYS.bootstrap(id);
    const candidate = fresh();
    await this.redis.hsetnx(k, 'cred', seal(this.key, JSON.stringify(candidate), id));
    const stored = await this.redis.hget(k, 'cred');
    const open = stored === null ? null : unseal(this.key, stored, id);
    if (open === null) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `credentials for ${id} unreadable`);
    return JSON.parse(open) as DmCredentials;
  }

  async setStatus(id: string, status: BootstrapStatus, extra: Record<string, string | number> = {}): Promise<void> {
    const at = this.now().toISOString();
    await this.redis.hset(KEYS.bootstrap(id), { status, updatedAt: at, [`${status}At`]: at, ...extra });
  }

  /** Segment index → SMSC message id for segments already accepted (survives retries). */
  async submittedSegments(id: string): Promise<Map<number, string>> {
    const h = await this.redis.hgetall(KEYS.bootstrapSegments(id));
    return new Map(Object.entries(h).map(([i, m]) => [Number(i), m]));
  }

  async recordSegment(id: string, index: number, messageId: string): Promise<void> {
    await this.redis
      .multi()
      .hset(KEYS.bootstrapSegments(id), String(index), messageId)
      .expire(KEYS.bootstrapSegments(id), RECORD_TTL_S)
      .set(KEYS.smscMessage(messageId), id, 'EX', RECORD_TTL_S)
      .exec();
  }

  /** Records one segment's DELIVRD receipt; returns how many distinct segments are delivered. */
  async markSegmentDelivered(id: string, messageId: string): Promise<number> {
    const k = `${KEYS.bootstrapSegments(id)}:dlr`;
    const [, [, count] = []] = (await this.redis.multi().sadd(k, messageId).scard(k).expire(k, RECORD_TTL_S).exec()) ?? [];
    return Number(count ?? 0);
  }

  async bootstrapForSmscMessage(messageId: string): Promise<string | null> {
    return this.redis.get(KEYS.smscMessage(messageId));
  }
}
