import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { DOORS, type Door, type IntakeStatus, type Origin, type Profile, type SecMethod } from '../intake.js';

/** As long as the record it describes (deliveries keeps records 30 days). */
const ORIGIN_TTL_S = 30 * 24 * 3600;

export type OriginRecord = Pick<IntakeStatus, 'origin' | 'profile' | 'sec' | 'tac'>;

/**
 * Who asked for a bootstrap and what they chose, in a small hash beside its record (same hash
 * tag, same slot): door, masked actor, reference, profile, SEC method, TAC. Written before the
 * record is created, field by field with HSETNX, so a repeated request never rewrites it.
 */
export class OriginStore {
  constructor(private readonly redis: RedisClient) {}

  async write(id: string, o: { origin: Origin; profile: Profile; sec: SecMethod; tac?: string }): Promise<void> {
    const k = KEYS.bootstrapOrigin(id);
    const fields: Record<string, string> = {
      door: o.origin.door,
      by: o.origin.by,
      profile: o.profile,
      sec: o.sec,
      ...(o.origin.reference ? { reference: o.origin.reference } : {}),
      ...(o.tac ? { tac: o.tac } : {}),
    };
    const m = this.redis.multi();
    for (const [f, v] of Object.entries(fields)) m.hsetnx(k, f, v);
    await m.expire(k, ORIGIN_TTL_S).exec();
  }

  async read(id: string): Promise<OriginRecord | null> {
    const h = await this.redis.hgetall(KEYS.bootstrapOrigin(id));
    if (!h.door || !(DOORS as readonly string[]).includes(h.door)) return null;
    return {
      origin: { door: h.door as Door, by: h.by ?? '', ...(h.reference ? { reference: h.reference } : {}) },
      profile: (h.profile ?? 'cp') as Profile,
      sec: (h.sec ?? 'USERPIN') as SecMethod,
      ...(h.tac ? { tac: h.tac } : {}),
    };
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(KEYS.bootstrapOrigin(id));
  }
}
