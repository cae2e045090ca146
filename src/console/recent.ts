import type { Queue } from 'bullmq';
import { masters, type RedisClient as Redis } from '../platform/redis/client.js';
import { SCAN } from '../platform/redis/keys.js';
import { maskPhone } from '../platform/mask.js';
import { bootstrapView } from '../deliveries/view.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { CallState } from '../voice/call-state.js';

const SHOW = 20;

export interface RecentDeps {
  readonly redis?: Redis;
  readonly store?: BootstrapStore;
  readonly bootstrapQueue?: Queue;
}

/**
 * Calls in progress (their state keys, found with a bounded SCAN) and the latest bootstraps
 * (newest jobs of the bootstrap queue), numbers masked. Best effort: Redis trouble shows as
 * an empty list with a note, never as a broken console.
 */
export async function recentActivity(deps: RecentDeps) {
  const [calls, bootstraps] = await Promise.all([
    liveCalls(deps).catch(() => null),
    latestBootstraps(deps).catch(() => null),
  ]);
  return { calls, bootstraps };
}

async function liveCalls({ redis }: RecentDeps) {
  if (!redis) return [];
  const keys: string[] = [];
  // Every master of a cluster holds some calls; each key is read on its own (no cross-slot MGET).
  for (const server of masters(redis)) {
    let cursor = '0';
    for (let i = 0; i < 20 && keys.length < SHOW; i++) {
      const [next, batch] = await server.scan(cursor, 'MATCH', SCAN.calls, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
      if (cursor === '0') break;
    }
  }
  const raws = await Promise.all(keys.slice(0, SHOW).map((k) => redis.get(k)));
  return raws
    .filter((r): r is string => r !== null)
    .map((r) => JSON.parse(r) as CallState)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .map((c) => ({
      callSid: c.callSid,
      flow: c.flowId,
      revision: c.revision,
      step: c.step,
      number: c.msisdn ? maskPhone(c.msisdn) : null,
      verified: Boolean(c.verified),
      bootstrapId: c.bootstrapId ?? null,
      startedAt: c.startedAt,
    }));
}

async function latestBootstraps({ store, bootstrapQueue }: RecentDeps) {
  if (!store || !bootstrapQueue) return [];
  const jobs = await bootstrapQueue.getJobs(['active', 'waiting', 'delayed', 'completed', 'failed'], 0, SHOW * 2);
  const ids = [
    ...new Set(
      jobs
        .sort((a, b) => b.timestamp - a.timestamp)
        .map((j) => (j.data as { bootstrapId?: string }).bootstrapId)
        .filter((x): x is string => !!x),
    ),
  ].slice(0, SHOW);
  const recs = await Promise.all(ids.map((id) => store.get(id)));
  return recs.filter((r) => r !== null).map((r) => bootstrapView(r));
}
