import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isBootlineError } from '../../src/errors.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { GlobalTpsLimit } from '../../src/smpp/global-limit.js';
import { startTestRedis } from '../helpers/redis.js';

// Two Redis connections stand for two worker processes sharing one SMSC account.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let a: ReturnType<typeof createRedis>;
let b: ReturnType<typeof createRedis>;

before(async () => {
  redis = await startTestRedis();
  a = createRedis(redis.url, 'patient');
  b = createRedis(redis.url, 'patient');
});
after(async () => {
  a.disconnect();
  b.disconnect();
  await redis.stop();
});

/** Runs `n` takes with `parallel` at a time; returns when each was allowed (ms, wall clock). */
async function hammer(
  limit: GlobalTpsLimit,
  n: number,
  parallel: number,
  out: number[],
  errors: unknown[],
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++;
        try {
          await limit.take();
          out.push(Date.now());
        } catch (err) {
          errors.push(err);
        }
      }
    }),
  );
}

test('two workers together never pass SMPP_TOTAL_TPS: by any instant t, at most burst + tps·t sends', async () => {
  const tps = 100;
  const burst = 5;
  const key = 'bl:{t-tps-1}';
  const la = new GlobalTpsLimit(a, { tps, burst, key, maxWaitMs: 60_000 });
  const lb = new GlobalTpsLimit(b, { tps, burst, key, maxWaitMs: 60_000 });
  const sent: number[] = [];
  const errors: unknown[] = [];
  const start = Date.now();
  await Promise.all([hammer(la, 100, 8, sent, errors), hammer(lb, 100, 8, sent, errors)]);
  assert.deepEqual(errors, []);
  assert.equal(sent.length, 200, 'every take granted (the slots were within maxWait)');
  sent.sort((x, y) => x - y);
  // Each send leaves at or after its reserved slot, and slot k is at least (k − burst)/tps after
  // the first, so this bound holds whatever the timers' lateness (late only means fewer).
  const over = sent
    .map((t, i) => ({ k: i + 1, allowed: burst + Math.floor(((t - start) * tps) / 1000) + 1 }))
    .filter((x) => x.k > x.allowed);
  assert.deepEqual(over, [], 'no instant with more sends than the limit allows');
  assert.ok(
    sent.at(-1)! - start >= ((200 - burst) * 1000) / tps - 5,
    `200 sends at ${tps}/s take at least ~1.95 s (took ${sent.at(-1)! - start} ms)`,
  );
});

test('a slot further away than maxWait is refused with SMPP_TPS_LIMIT (throttle) and not reserved', async () => {
  const key = 'bl:{t-tps-2}';
  const la = new GlobalTpsLimit(a, { tps: 10, burst: 2, key, maxWaitMs: 250 });
  const lb = new GlobalTpsLimit(b, { tps: 10, burst: 2, key, maxWaitMs: 250 });
  const sent: number[] = [];
  const errors: unknown[] = [];
  await Promise.all([hammer(la, 10, 10, sent, errors), hammer(lb, 10, 10, sent, errors)]);
  // burst 2 at once, then one per 100 ms within the 250 ms horizon: 2 + 2 (+1 at the edge).
  assert.ok(sent.length >= 4 && sent.length <= 5, `granted ${sent.length}`);
  assert.equal(errors.length, 20 - sent.length);
  assert.ok(
    errors.every(
      (e) => isBootlineError(e, 'SMPP_TPS_LIMIT') && e.retry === 'throttle' && Number(e.details.retryAfterMs) > 250,
    ),
    'typed throttle errors with retryAfterMs',
  );
  // Refusals reserved nothing: the theoretical arrival time is at most the granted slots ahead
  // (had the 15 refusals reserved, it would be ~1.5 s further). Time passing only lowers it.
  const [sec = 0, usec = 0] = await a.time();
  const ahead = Number(await a.get(key)) - (Number(sec) * 1e6 + Number(usec));
  assert.ok(ahead <= sent.length * 100_000, `TAT ${Math.round(ahead / 1000)} ms ahead for ${sent.length} granted`);
});

test('tps 0 means no cap and never touches Redis', async () => {
  const l = new GlobalTpsLimit(a, { tps: 0, key: 'bl:{t-tps-3}' });
  for (let i = 0; i < 100; i++) await l.take();
  assert.equal(await a.exists('bl:{t-tps-3}'), 0);
});
