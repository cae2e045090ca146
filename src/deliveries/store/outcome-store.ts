/**
 * Owns the count of bootstrap outcomes per device profile: how many bootstraps of each profile
 * were delivered, enrolled, failed, expired or not enrolled, so success rates per profile can be
 * read (the web's /metrics, `bootline_bootstrap_outcomes_total`). The transitions happen in
 * every process (push runs and receipts in the worker, DM session signals in the web, deadlines
 * in either) and only the web serves /metrics, so the totals live in Redis, cluster-wide.
 *
 * Counted from the timeline, once per event: a script moves the record's `counted` mark over
 * the events not yet counted and returns the outcome events among them, so two processes
 * following up the same transition count it once. The increment is a second command (another
 * slot): a process killed between the two loses that one count, never counts twice.
 */
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import { defineScript, runScript } from '../../platform/redis/scripts.js';

/** The states a bootstrap's success rate is read from (lifecycle.ts). */
export const OUTCOMES = ['delivered', 'enrolled', 'failed', 'expired', 'not-enrolled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * KEYS: record, timeline. Returns false when there is nothing new, else {device profile ('' when
 * the record names none), outcome events…} of the events past the `counted` mark, which moves to the end.
 */
const COUNT_OUTCOMES = defineScript({
  name: 'bootstrap-count-outcomes',
  keys: 2,
  lua: `
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return false end
local from = tonumber(redis.call('HGET', KEYS[1], 'counted') or '0')
local events = redis.call('LRANGE', KEYS[2], from, -1)
if #events == 0 then return false end
redis.call('HSET', KEYS[1], 'counted', from + #events)
local out = {redis.call('HGET', KEYS[1], 'deviceProfile') or ''}
for _, raw in ipairs(events) do
  local e = cjson.decode(raw).event
  if e == 'delivered' or e == 'enrolled' or e == 'failed' or e == 'expired' or e == 'not-enrolled' then
    out[#out + 1] = e
  end
end
return out`,
});

/** Counts the outcome events of `id` not yet counted, under its device profile ("none" for records without one). */
export async function countOutcomes(redis: RedisClient, id: string): Promise<void> {
  const res = await runScript(redis, COUNT_OUTCOMES, [KEYS.bootstrap(id), KEYS.bootstrapTimeline(id)], []);
  if (!Array.isArray(res) || res.length < 2) return;
  const [profile, ...events] = res as string[];
  const p = redis.pipeline();
  for (const e of events) p.hincrby(KEYS.profileOutcomes(), `${profile || 'none'}|${e}`, 1);
  await p.exec();
}

/** The cluster-wide totals, one row per device profile and outcome seen. */
export async function outcomeCounts(
  redis: RedisClient,
): Promise<Array<{ profile: string; outcome: Outcome; count: number }>> {
  const h = await redis.hgetall(KEYS.profileOutcomes());
  return Object.entries(h).map(([k, v]) => {
    const at = k.lastIndexOf('|');
    return { profile: k.slice(0, at), outcome: k.slice(at + 1) as Outcome, count: Number(v) };
  });
}
