import { createHash } from 'node:crypto';
import type { RedisClient } from '../lib/redis.js';

/**
 * Status transitions as Lua, so a receipt racing the worker never loses an update. Every
 * script touches one bootstrap's keys only (one hash tag, one cluster slot). Lifecycle:
 * queued → submitted → delivered | failed | expired; the three last are terminal until an
 * operator retries (→ queued, next round). A bootstrap whose every segment has a DELIVRD
 * receipt is delivered, whichever of "submitted" and the last receipt lands first.
 */
const DELIVERED_COUNT = `
local function delivered_count(dlr)
  local ok = 0
  for _, v in ipairs(redis.call('HVALS', dlr)) do if string.sub(v, 1, 8) == 'DELIVRD|' then ok = ok + 1 end end
  return ok
end
local function terminal(st) return st == 'delivered' or st == 'failed' or st == 'expired' end
`;

/** KEYS: record, receipts, pin. ARGV: now. Returns the resulting status. The PIN goes once delivered. */
export const MARK_SUBMITTED = `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'queued' then return st end
redis.call('HSET', KEYS[1], 'status', 'submitted', 'submittedAt', ARGV[1], 'updatedAt', ARGV[1])
local n = tonumber(redis.call('HGET', KEYS[1], 'segments') or '0')
if n > 0 and delivered_count(KEYS[2]) >= n then
  redis.call('HSET', KEYS[1], 'status', 'delivered', 'deliveredAt', ARGV[1])
  redis.call('DEL', KEYS[3])
  return 'delivered'
end
return 'submitted'`;

/** KEYS: record. ARGV: failed|expired, now, errorCode, error, smscError. */
export const FAIL = `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if terminal(st) then return st end
redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[1] .. 'At', ARGV[2], 'updatedAt', ARGV[2], 'errorCode', ARGV[3], 'error', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'smscError', ARGV[5]) end
return ARGV[1]`;

/**
 * KEYS: record, receipts, pin. ARGV: round, messageId, state, err, now, ttl.
 * Returns the resulting status, or 'stale' for a receipt of an earlier round.
 */
export const RECEIPT = `${DELIVERED_COUNT}
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if redis.call('HGET', KEYS[1], 'round') ~= ARGV[1] then return 'stale' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. '|' .. ARGV[4] .. '|' .. ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
if terminal(st) then return st end
local target
if ARGV[3] == 'DELIVRD' then
  local n = tonumber(redis.call('HGET', KEYS[1], 'segments') or '0')
  if n == 0 or delivered_count(KEYS[2]) < n then return st end
  target = 'delivered'
  if not redis.call('HGET', KEYS[1], 'submittedAt') then redis.call('HSET', KEYS[1], 'submittedAt', ARGV[5]) end
elseif ARGV[3] == 'EXPIRED' then target = 'expired'
elseif ARGV[3] == 'UNDELIV' or ARGV[3] == 'REJECTD' or ARGV[3] == 'DELETED' or ARGV[3] == 'UNKNOWN' then target = 'failed'
else return st end
redis.call('HSET', KEYS[1], 'status', target, target .. 'At', ARGV[5], 'updatedAt', ARGV[5])
if target == 'delivered' then redis.call('DEL', KEYS[3]) else
  redis.call('HSET', KEYS[1], 'error', 'SMSC receipt ' .. ARGV[3] .. ' for ' .. ARGV[2], 'smscError', ARGV[4])
end
return target`;

/**
 * KEYS: record, segments, receipts, pin. ARGV: now.
 * Returns the new round, or 'not-retryable:<status>' / 'pin-expired' / false (no record).
 */
export const RETRY = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return false end
if st ~= 'failed' and st ~= 'expired' then return 'not-retryable:' .. st end
if redis.call('EXISTS', KEYS[4]) == 0 then return 'pin-expired' end
local round = redis.call('HINCRBY', KEYS[1], 'round', 1)
redis.call('HDEL', KEYS[1], 'error', 'errorCode', 'smscError', 'failedAt', 'expiredAt', 'submittedAt', 'deliveredAt', 'segments')
redis.call('HSET', KEYS[1], 'status', 'queued', 'queuedAt', ARGV[1], 'updatedAt', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return tostring(round)`;

/** KEYS: lease. ARGV: owner, ttl ms. Takes a free lease or extends our own; 1 if held, 0 if another owner has it. */
export const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** KEYS: lease. ARGV: owner. Deletes the lease if it is still ours. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const shas = new Map<string, string>();

/** EVALSHA with a one-time EVAL fallback (NOSCRIPT after a Redis restart or on a fresh server). */
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) { sha = createHash('sha1').update(script).digest('hex'); shas.set(script, sha); }
  return sha;
}

export async function runScript(redis: RedisClient, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
  const sha = shaOf(script);
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}

/**
 * As runScript, but written to the socket at once: an explicit one-command pipeline does not
 * queue behind an auto-pipeline still waiting for its replies (ioredis runs one at a time per
 * connection). For the record of segments the SMSC accepted: until it reaches Redis, a killed
 * worker's re-run would send them again.
 */
export async function runScriptNow(redis: RedisClient, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
  const res = await redis.pipeline().evalsha(shaOf(script), keys.length, ...keys, ...args).exec();
  const [err, value] = res?.[0] ?? [new Error('empty pipeline reply'), null];
  if (!err) return value;
  if (!String(err.message).includes('NOSCRIPT')) throw err;
  return redis.eval(script, keys.length, ...keys, ...args);
}
