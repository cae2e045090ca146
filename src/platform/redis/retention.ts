import { masters, type RedisClient } from './client.js';
import { KEYS, SCAN } from './keys.js';

export interface PurgeReport {
  /** Bootstrap records looked at. */
  readonly scanned: number;
  /** Records (with PIN, credentials, segments, receipts and index entries) removed, or that would be. */
  readonly purged: number;
}

/**
 * Deletes every bootstrap whose last change is older than `days`: the record, its sealed
 * PIN and credentials, segments, receipts, timeline, its origin (who asked, through which door),
 * the SMSC message-id pointers, the number index entry and the DM client-name index. Records also
 * expire on their own after 30 days; this is how an operator keeps less (docs/guides/security.md, "Retention").
 * `dryRun` only counts.
 */
export async function purgeBootstraps(
  redis: RedisClient,
  o: { days: number; dryRun?: boolean; now?: Date },
): Promise<PurgeReport> {
  const cutoff = (o.now ?? new Date()).getTime() - o.days * 86_400_000;
  let scanned = 0;
  let purged = 0;
  for (const server of masters(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', SCAN.bootstraps, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        scanned++;
        const [id, msisdn, updatedAt, dmClient] = await redis.hmget(key, 'id', 'msisdn', 'updatedAt', 'dmClient');
        if (!id || !updatedAt || Date.parse(updatedAt) >= cutoff) continue;
        purged++;
        if (!o.dryRun) await purgeOne(redis, id, msisdn ?? null, dmClient ?? null);
      }
    } while (cursor !== '0');
  }
  return { scanned, purged };
}

async function purgeOne(redis: RedisClient, id: string, msisdn: string | null, dmClient: string | null): Promise<void> {
  const smscIds = Object.values(await redis.hgetall(KEYS.bootstrapSegments(id)));
  // One slot per bootstrap (hash tag), so these go in one command; the pointers and indexes live elsewhere.
  await redis.del(
    KEYS.bootstrap(id),
    KEYS.bootstrapPin(id),
    KEYS.bootstrapSegments(id),
    KEYS.bootstrapReceipts(id),
    KEYS.bootstrapOrigin(id),
    KEYS.bootstrapTimeline(id),
  );
  for (const m of smscIds) await redis.del(KEYS.smscMessage(m));
  if (msisdn) await redis.zrem(KEYS.msisdnIndex(msisdn), id);
  if (dmClient) await redis.del(KEYS.dmClient(dmClient));
}
