/**
 * Owns the Lua of a push run's two Redis steps (round trips are the cost of a push). Every
 * bootstrap key shares one hash tag; the SMSC message-id pointers (own slots) are passed only
 * on a single Redis, where a script may touch any key.
 */
import { defineScript } from '../../platform/redis/scripts.js';
import { DELIVERED_COUNT } from './scripts.js';

/**
 * Start (or re-check) of a run. KEYS: record, segments, receipts, pin, lease.
 * ARGV: owner, lease ttl ms, sealed fresh credentials (stored unless some exist).
 * Returns 0 when another run holds the lease, false when there is no record, else
 * {record, segments, receipts (flat HGETALLs), sealed PIN or nil}. The lease is claimed
 * before anything is read, so what this returns cannot be stale while the lease is ours.
 */
export const START_RUN = defineScript({
  name: 'bootstrap-start-run',
  keys: 5,
  lua: `
local v = redis.call('GET', KEYS[5])
if v and v ~= ARGV[1] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then return false end
redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[2])
redis.call('HSETNX', KEYS[1], 'cred', ARGV[3])
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),
  redis.call('GET', KEYS[4])}`,
});

/**
 * Segments the SMSC accepted, recorded in one write per burst of submit_sm_resps; the last
 * burst of a run also marks it submitted (or delivered, when every receipt beat it) and
 * lets go of the lease. A segment is recorded whatever the lease says: the SMSC has it.
 * Each newly recorded segment, the inline registration and the transition go on the timeline.
 * KEYS: record, segments, receipts, pin, lease, timeline, then one pointer per segment (single Redis only).
 * ARGV: id, round, ttl s, now, segment count, registered (1/0), finish (1/0), owner,
 * then index, message id per segment. Returns the status when finishing, else false.
 */
const RECORD_RUN_LUA = `${DELIVERED_COUNT}
local n = (#ARGV - 8) / 2
local pointers = #KEYS > 6
local round = tonumber(ARGV[2])
-- The registration happened before any segment went out: on the timeline it comes first.
if ARGV[6] == '1' and redis.call('HEXISTS', KEYS[1], 'registeredAt') == 0 then
  redis.call('HSET', KEYS[1], 'registeredAt', ARGV[4], 'updatedAt', ARGV[4])
  tl(KEYS[6], ARGV[4], 'dm-registered', {round = round})
end
for i = 1, n do
  local idx, mid = ARGV[7 + 2 * i], ARGV[8 + 2 * i]
  if pointers then redis.call('SET', KEYS[6 + i], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. idx, 'EX', ARGV[3]) end
  if redis.call('HGET', KEYS[2], idx) ~= mid then
    redis.call('HSET', KEYS[2], idx, mid)
    tl(KEYS[6], ARGV[4], 'segment-submitted', {round = round, segment = tonumber(idx), smscId = mid})
  end
end
if n > 0 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
redis.call('HSET', KEYS[1], 'segments', ARGV[5])
if ARGV[7] ~= '1' then return false end
if redis.call('GET', KEYS[5]) == ARGV[8] then redis.call('DEL', KEYS[5]) end
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'queued' then return st end
redis.call('HSET', KEYS[1], 'status', 'submitted', 'submittedAt', ARGV[4], 'updatedAt', ARGV[4])
local built = {round = round}
built.deviceProfile = redis.call('HGET', KEYS[1], 'deviceProfile') or nil
tl(KEYS[6], ARGV[4], 'submitted', built)
local total = tonumber(ARGV[5])
if total > 0 and delivered_count(KEYS[3]) >= total then
  redis.call('HSET', KEYS[1], 'status', 'delivered', 'deliveredAt', ARGV[4])
  redis.call('DEL', KEYS[4])
  tl(KEYS[6], ARGV[4], 'delivered', {round = round})
  return 'delivered'
end
return 'submitted'`;

export const RECORD_RUN = defineScript({ name: 'bootstrap-record-run', keys: 6, lua: RECORD_RUN_LUA });

/** The same, with the SMSC id pointers as KEYS 7…: one script on a single Redis, where it may touch any key. */
export const RECORD_RUN_WITH_POINTERS = defineScript({
  name: 'bootstrap-record-run-pointers',
  keys: 'any',
  lua: RECORD_RUN_LUA,
});

/**
 * A burst of delivery receipts of one bootstrap and round, applied in order, one script
 * instead of one per receipt. A receipt the SMSC sends again (same id, same state) changes
 * nothing and appends nothing.
 * KEYS: record, receipts, pin, timeline. ARGV: round, now, ttl, then message id, state, err,
 * segment index ('' when unknown) per receipt.
 * Returns the resulting status, or 'stale' for receipts of an earlier round.
 */
export const RECEIPTS = defineScript({
  name: 'bootstrap-receipts',
  keys: 4,
  lua: `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if redis.call('HGET', KEYS[1], 'round') ~= ARGV[1] then return 'stale' end
local round = tonumber(ARGV[1])
for i = 4, #ARGV, 4 do
  local mid, state, err, idx = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local prev = redis.call('HGET', KEYS[2], mid)
  local again = prev and string.sub(prev, 1, #state + 1) == state .. '|'
  redis.call('HSET', KEYS[2], mid, state .. '|' .. err .. '|' .. ARGV[2])
  if not again then
    local f = {round = round, smscId = mid}
    if idx ~= '' then f.segment = tonumber(idx) end
    if state == 'DELIVRD' then tl(KEYS[4], ARGV[2], 'segment-delivered', f) else
      f.state = state
      f.err = err
      tl(KEYS[4], ARGV[2], 'segment-failed', f)
    end
  end
  local target
  if past_sms(st) then target = nil
  elseif state == 'DELIVRD' then
    local n = tonumber(redis.call('HGET', KEYS[1], 'segments') or '0')
    if n > 0 and delivered_count(KEYS[2]) >= n then
      target = 'delivered'
      if not redis.call('HGET', KEYS[1], 'submittedAt') then redis.call('HSET', KEYS[1], 'submittedAt', ARGV[2]) end
    end
  elseif state == 'EXPIRED' then target = 'expired'
  elseif state == 'UNDELIV' or state == 'REJECTD' or state == 'DELETED' or state == 'UNKNOWN' then target = 'failed' end
  if target then
    redis.call('HSET', KEYS[1], 'status', target, target .. 'At', ARGV[2], 'updatedAt', ARGV[2])
    if target == 'delivered' then
      redis.call('DEL', KEYS[3])
      tl(KEYS[4], ARGV[2], 'delivered', {round = round})
    else
      local cause = target == 'expired' and 'EXPIRED' or 'UNDELIVERABLE'
      local detail = state .. ' err:' .. err
      redis.call('HSET', KEYS[1], 'error', 'SMSC receipt ' .. state .. ' for ' .. mid, 'smscError', err,
        'cause', cause, 'causeDetail', detail)
      tl(KEYS[4], ARGV[2], target, {round = round, cause = cause, detail = detail})
    end
    st = target
  end
end
redis.call('EXPIRE', KEYS[2], ARGV[3])
return st`,
});
