/**
 * Owns the Lua of a bootstrap's creation and status transitions (failure, registration, lease
 * release, operator retry). Each transition appends its timeline event in the same script.
 */
import { defineScript } from '../../platform/redis/scripts.js';
import { TIMELINE_LUA } from '../timeline.js';

/**
 * Status transitions as Lua, so a receipt racing the worker never loses an update. Every
 * script touches one bootstrap's keys only (one hash tag, one cluster slot); the table of
 * states and transitions is lifecycle.ts. A bootstrap whose every segment has a DELIVRD
 * receipt is delivered, whichever of "submitted" and the last receipt lands first.
 * `past_sms(st)`: the SMS leg is over (lifecycle.ts PAST_SMS_LEG), so receipts and run
 * records no longer change the status.
 */
export const DELIVERED_COUNT = `${TIMELINE_LUA}
local function delivered_count(dlr)
  local ok = 0
  for _, v in ipairs(redis.call('HVALS', dlr)) do if string.sub(v, 1, 8) == 'DELIVRD|' then ok = ok + 1 end end
  return ok
end
local function past_sms(st)
  return st == 'delivered' or st == 'enrolled' or st == 'failed' or st == 'expired' or st == 'not-enrolled'
end
`;

/**
 * A new bootstrap: record, sealed PIN, and the first timeline events (requested, the door's
 * seeds, pin-issued when the intake made the PIN, queued), or nothing when the id exists.
 * KEYS: record, pin, timeline. ARGV: id, now, sealed PIN ('' for none), PIN ttl s, record ttl s,
 * fields (JSON object), seeds (JSON array of {event, at, detail?}), requested (JSON object),
 * pin issued now (1/0). Returns 1 when created, 0 when the id already existed.
 */
export const CREATE = defineScript({
  name: 'bootstrap-create',
  keys: 3,
  lua: `${TIMELINE_LUA}
if redis.call('HSETNX', KEYS[1], 'id', ARGV[1]) == 0 then return 0 end
for k, v in pairs(cjson.decode(ARGV[6])) do redis.call('HSET', KEYS[1], k, v) end
redis.call('HSET', KEYS[1], 'status', 'queued', 'round', 1, 'createdAt', ARGV[2], 'updatedAt', ARGV[2],
  'queuedAt', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[5])
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) end
tl(KEYS[3], ARGV[2], 'requested', cjson.decode(ARGV[8]))
for _, e in ipairs(cjson.decode(ARGV[7])) do
  local f = {}
  if e.detail then f.detail = e.detail end
  tl(KEYS[3], e.at, e.event, f)
end
if ARGV[9] == '1' then tl(KEYS[3], ARGV[2], 'pin-issued', {}) end
tl(KEYS[3], ARGV[2], 'queued', {round = 1})
return 1`,
});

/**
 * KEYS: record, timeline. ARGV: failed|expired, now, errorCode, error, smscError, cause, detail.
 * Returns the resulting status (a bootstrap past its SMS leg is left as it is), false when there is no record.
 */
export const FAIL = defineScript({
  name: 'bootstrap-fail',
  keys: 2,
  lua: `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if past_sms(st) then return st end
redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[1] .. 'At', ARGV[2], 'updatedAt', ARGV[2],
  'errorCode', ARGV[3], 'error', ARGV[4], 'cause', ARGV[6], 'causeDetail', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'smscError', ARGV[5]) end
local round = tonumber(redis.call('HGET', KEYS[1], 'round') or '1')
tl(KEYS[2], ARGV[2], ARGV[1], {round = round, cause = ARGV[6], detail = ARGV[7]})
return ARGV[1]`,
});

/** KEYS: record, timeline. ARGV: now. Records the DM registration once (1 when now, 0 when it was). */
export const MARK_REGISTERED = defineScript({
  name: 'bootstrap-mark-registered',
  keys: 2,
  lua: `${TIMELINE_LUA}
if redis.call('HEXISTS', KEYS[1], 'id') == 0 or redis.call('HEXISTS', KEYS[1], 'registeredAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'registeredAt', ARGV[1], 'updatedAt', ARGV[1])
tl(KEYS[2], ARGV[1], 'dm-registered', {round = tonumber(redis.call('HGET', KEYS[1], 'round') or '1')})
return 1`,
});

/**
 * KEYS: record, segments, receipts, pin, timeline. ARGV: now.
 * Returns the new round, or 'not-retryable:<status>' / 'pin-expired' / false (no record).
 */
export const RETRY = defineScript({
  name: 'bootstrap-retry',
  keys: 5,
  lua: `${TIMELINE_LUA}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'failed' and st ~= 'expired' then return 'not-retryable:' .. st end
-- NETWPIN keys the MAC with the IMSI alone: such a bootstrap has no PIN to lose.
if redis.call('HGET', KEYS[1], 'sec') ~= 'NETWPIN' and redis.call('EXISTS', KEYS[4]) == 0 then return 'pin-expired' end
local round = redis.call('HINCRBY', KEYS[1], 'round', 1)
redis.call('HDEL', KEYS[1], 'error', 'errorCode', 'smscError', 'failedAt', 'expiredAt', 'submittedAt', 'deliveredAt',
  'segments', 'cause', 'causeDetail')
redis.call('HSET', KEYS[1], 'status', 'queued', 'queuedAt', ARGV[1], 'updatedAt', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
tl(KEYS[5], ARGV[1], 'queued', {round = round, retry = true})
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

/** KEYS: record. ARGV: seq. Raises the `published` mark (the last timeline seq published), never lowers it. */
export const MARK_PUBLISHED = defineScript({
  name: 'bootstrap-mark-published',
  keys: 1,
  lua: `
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'published') or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'published', ARGV[1])
return 1`,
});
