/** Owns the Lua of a bootstrap's status transitions (failure, lease release, operator retry). */
import { defineScript } from '../../platform/redis/scripts.js';

/**
 * Status transitions as Lua, so a receipt racing the worker never loses an update. Every
 * script touches one bootstrap's keys only (one hash tag, one cluster slot). Lifecycle:
 * queued → submitted → delivered | failed | expired; the three last are terminal until an
 * operator retries (→ queued, next round). A bootstrap whose every segment has a DELIVRD
 * receipt is delivered, whichever of "submitted" and the last receipt lands first.
 */
export const DELIVERED_COUNT = `
local function delivered_count(dlr)
  local ok = 0
  for _, v in ipairs(redis.call('HVALS', dlr)) do if string.sub(v, 1, 8) == 'DELIVRD|' then ok = ok + 1 end end
  return ok
end
local function terminal(st) return st == 'delivered' or st == 'failed' or st == 'expired' end
`;

/** KEYS: record. ARGV: failed|expired, now, errorCode, error, smscError. */
export const FAIL = defineScript({
  name: 'bootstrap-fail',
  keys: 1,
  lua: `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if terminal(st) then return st end
redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[1] .. 'At', ARGV[2], 'updatedAt', ARGV[2],
  'errorCode', ARGV[3], 'error', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'smscError', ARGV[5]) end
return ARGV[1]`,
});

/**
 * KEYS: record, segments, receipts, pin. ARGV: now.
 * Returns the new round, or 'not-retryable:<status>' / 'pin-expired' / false (no record).
 */
export const RETRY = defineScript({
  name: 'bootstrap-retry',
  keys: 4,
  lua: `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'failed' and st ~= 'expired' then return 'not-retryable:' .. st end
if redis.call('EXISTS', KEYS[4]) == 0 then return 'pin-expired' end
local round = redis.call('HINCRBY', KEYS[1], 'round', 1)
redis.call('HDEL', KEYS[1], 'error', 'errorCode', 'smscError', 'failedAt', 'expiredAt', 'submittedAt', 'deliveredAt',
  'segments')
redis.call('HSET', KEYS[1], 'status', 'queued', 'queuedAt', ARGV[1], 'updatedAt', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return tostring(round)`,
});

/** KEYS: lease. ARGV: owner. Deletes the lease if it is still ours. */
export const RELEASE = defineScript({
  name: 'bootstrap-release-lease',
  keys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
});
