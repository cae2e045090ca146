import { defineScript } from '../../platform/redis/scripts.js';

/** Row states a batch counts; `pending` (valid, not yet asked for) is what is left of the valid rows. */
export const ROW_STATES = ['queued', 'submitted', 'delivered', 'failed', 'expired', 'refused', 'invalid'] as const;
export type RowState = (typeof ROW_STATES)[number];
/** A row in one of these is done for the batch: it leaves the set of rows looked at again. */
export const FINAL_STATES: readonly RowState[] = ['delivered', 'failed', 'expired', 'refused', 'invalid'];
/** The per-state sets the script moves rows between, in KEYS order after meta, states, open. */
export const MOVABLE_STATES = ['queued', 'submitted', 'delivered', 'failed', 'expired', 'refused'] as const;

/**
 * Row transitions of one batch, atomically with its counts (all keys share the batch's hash
 * tag). A row moves out of its old state's set into the new one and the counts follow; a final
 * state takes it off `open`, any other reschedules it there for `nextAt`. An invalid row never
 * moves. The cursor (next row to ask for) only goes forward, so a re-run after a crash never
 * asks for a row twice through the cursor (and the intake is idempotent by row anyway).
 *
 * KEYS: meta, states, open, then one set per MOVABLE_STATES. ARGV: now (ISO), cursor or '',
 * TTL in seconds (every key is kept as long as the batch), then (row, state, nextAt ms)
 * triples. Returns the rows whose state changed.
 */
export const BATCH_APPLY = defineScript({
  name: 'batch-apply',
  keys: 3 + MOVABLE_STATES.length,
  lua: `
local slot = {}
for i, s in ipairs({${MOVABLE_STATES.map((s) => `'${s}'`).join(', ')}}) do slot[s] = i + 3 end
local final = {${FINAL_STATES.map((s) => `['${s}'] = true`).join(', ')}}
local changed = 0
for i = 4, #ARGV, 3 do
  local row, st, nextAt = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local old = redis.call('HGET', KEYS[2], row)
  if old ~= 'invalid' then
    if old ~= st then
      if old and slot[old] then
        redis.call('ZREM', KEYS[slot[old]], row)
        redis.call('HINCRBY', KEYS[1], 'n:' .. old, -1)
      end
      redis.call('ZADD', KEYS[slot[st]], tonumber(row), row)
      redis.call('HINCRBY', KEYS[1], 'n:' .. st, 1)
      redis.call('HSET', KEYS[2], row, st)
      changed = changed + 1
    end
    if final[st] then redis.call('ZREM', KEYS[3], row) else redis.call('ZADD', KEYS[3], tonumber(nextAt), row) end
  end
end
if ARGV[2] ~= '' and tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') then
  redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
for _, k in ipairs(KEYS) do redis.call('EXPIRE', k, ARGV[3]) end
return changed`,
});

/**
 * Duplicate numbers in one upload, for a whole chunk in one call: each (number HMAC, row) pair
 * claims the HMAC if no earlier row has. KEYS: seen. ARGV: (hash, row) pairs. Returns
 * (row, first row) pairs for the rows whose number an earlier row already has.
 */
export const BATCH_SEEN = defineScript({
  name: 'batch-seen',
  keys: 1,
  lua: `
local dupes = {}
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 0 then
    dupes[#dupes + 1] = ARGV[i + 1]
    dupes[#dupes + 1] = redis.call('HGET', KEYS[1], ARGV[i])
  end
end
return dupes`,
});
