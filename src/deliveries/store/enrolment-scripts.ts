/**
 * Owns the Lua of a bootstrap's last leg: the DM server's session signals and the enrolment
 * deadline (lifecycle.ts). Each appends its timeline event in the same script; a signal that
 * changes nothing (already enrolled, the same auth failure again) appends nothing.
 */
import { defineScript } from '../../platform/redis/scripts.js';
import { TIMELINE_LUA } from '../timeline.js';

/**
 * KEYS: record, timeline. ARGV: now, event (session-started | auth-failed), reported at, cause.
 * Returns {status, 1 when it changed it | 0}, or false when there is no record.
 */
export const SESSION_EVENT = defineScript({
  name: 'bootstrap-session-event',
  keys: 2,
  lua: `${TIMELINE_LUA}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st == 'enrolled' then return {st, 0} end
local round = tonumber(redis.call('HGET', KEYS[1], 'round') or '1')
if ARGV[2] == 'session-started' then
  redis.call('HSET', KEYS[1], 'status', 'enrolled', 'enrolledAt', ARGV[1], 'updatedAt', ARGV[1])
  redis.call('HDEL', KEYS[1], 'cause', 'causeDetail', 'error', 'errorCode', 'smscError')
  tl(KEYS[2], ARGV[1], 'enrolled', {round = round, reportedAt = ARGV[3]})
  return {'enrolled', 1}
end
if st == 'failed' and redis.call('HGET', KEYS[1], 'cause') == 'DM_AUTH_FAILED' then return {st, 0} end
redis.call('HSET', KEYS[1], 'status', 'failed', 'failedAt', ARGV[1], 'updatedAt', ARGV[1],
  'cause', 'DM_AUTH_FAILED', 'causeDetail', ARGV[4], 'errorCode', '', 'error', 'DM server: authentication failed')
tl(KEYS[2], ARGV[1], 'failed', {round = round, cause = 'DM_AUTH_FAILED', detail = ARGV[4], reportedAt = ARGV[3]})
return {'failed', 1}`,
});

/**
 * The enrolment deadline of one round. KEYS: record, timeline. ARGV: now, round, window s.
 * Returns the resulting status (not-enrolled only from delivered in that round), false without a record.
 */
export const NOT_ENROLLED = defineScript({
  name: 'bootstrap-not-enrolled',
  keys: 2,
  lua: `${TIMELINE_LUA}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'delivered' or redis.call('HGET', KEYS[1], 'round') ~= ARGV[2] then return st end
local detail = 'no DM session within ' .. ARGV[3] .. ' s'
redis.call('HSET', KEYS[1], 'status', 'not-enrolled', 'notEnrolledAt', ARGV[1], 'updatedAt', ARGV[1],
  'cause', 'NOT_ENROLLED_IN_TIME', 'causeDetail', detail)
tl(KEYS[2], ARGV[1], 'not-enrolled', {round = tonumber(ARGV[2]), cause = 'NOT_ENROLLED_IN_TIME', detail = detail})
return 'not-enrolled'`,
});
