import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pacer } from '../../src/smpp/pacer.js';

// GCRA (ITU-T I.371 §4.4.2) as the pacer promises it: `burst` sends back to back, never more, then
// one per interval — also when the process was too busy to run its timers on time.

test('a busy process: the sends due meanwhile leave at most `burst` at once, then one per interval', async () => {
  const [tps, burst, interval] = [100, 5, 10];
  const pacer = new Pacer(tps, burst);
  const sent: number[] = [];
  const takes = Array.from({ length: 30 }, () => pacer.take().then(() => sent.push(performance.now())));
  // The event loop is blocked for 150 ms: every timer set meanwhile fires late, together.
  const busyUntil = performance.now() + 150;
  while (performance.now() < busyUntil);
  await Promise.all(takes);
  for (let i = 0; i < sent.length; i++) {
    for (let j = i + burst; j < sent.length; j++) {
      const span = sent[j]! - sent[i]!;
      assert.ok(span >= (j - i - burst) * interval - 1, `sends ${i}..${j} left within ${span.toFixed(1)} ms`);
    }
  }
});

test('on time, the rate is the cap: 50 sends at 100 per second take about half a second', async () => {
  const pacer = new Pacer(100, 5);
  const start = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => pacer.take()));
  // 5 at once, then 45 more 10 ms apart: never faster than that.
  assert.ok(performance.now() - start >= 45 * 10 - 1);
});
