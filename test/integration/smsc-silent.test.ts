import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { UnansweredSubmit } from '../../src/dev/smsc/server.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { COMMAND_STATUS } from '../../src/smpp/status.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { acceptedSegments, completeNumbers, enqueuePushes, workerStack } from '../helpers/worker-stack.js';

// The incident of a silent SMSC session, on the real pipeline (BullMQ, the worker, the dev
// SMSC over loopback SMPP): the SMSC throttles twice, drops the connection once, then one
// session stops answering. The worker must stop using that session at the first unanswered
// submit, probe it, bind afresh and resubmit there within 1.5 × the response timeout (not at
// the next keep-alive, 30 s later), and no segment may be accepted twice.
const RESPONSE_TIMEOUT_MS = 2_000;
let redis: Awaited<ReturnType<typeof startTestRedis>>;

before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis.stop();
});

test('a session that goes silent is left at its first unanswered submit; the push goes on a fresh bind within 1.5 × the timeout', async (t) => {
  let throttled = 0;
  const stack = await workerStack(redis.url, {
    prefix: '{t-silent}',
    smsc: {
      statusFor: () => {
        if (throttled === 2) return 0;
        throttled += 1;
        return COMMAND_STATUS.ESME_RTHROTTLED;
      },
      receiptDelayMs: 5,
    },
    // The keep-alive is far away, as in production (30 s): only the response timeout can notice.
    transport: { responseTimeoutMs: RESPONSE_TIMEOUT_MS, enquireLinkMs: 30_000, reconnectMinMs: 20 },
  });
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix: '{t-silent}', connection: conn });
  const unanswered: UnansweredSubmit[] = [];
  stack.smsc.on('unanswered', (u) => unanswered.push(u));
  const delivered = async (ids: string[]) => {
    for (const id of ids)
      await waitFor(`${id} delivered`, async () => (await stack.store.get(id))?.status === 'delivered', 20_000);
  };
  try {
    await stack.client.waitBound(5_000);
    // 1. Throttled twice: slowed down, then accepted.
    await delivered(await enqueuePushes(queue, stack.store, ['+447400300001'], 'sil-a'));
    assert.equal(throttled, 2, 'throttled twice');
    // 2. The connection drops once, on a submit it never answered.
    stack.smsc.setFaults({ ...stack.smsc.faults, dropAfter: 0 });
    await delivered(await enqueuePushes(queue, stack.store, ['+447400300002'], 'sil-b'));
    assert.equal(stack.smsc.counts.drops, 1);
    // 3. The session now bound stops answering anything; sessions bound later answer.
    const sessionsBefore = new Set(stack.smsc.received.map((r) => r.session));
    unanswered.length = 0;
    stack.smsc.setFaults({ ...stack.smsc.faults, hang: true });
    const [id] = await enqueuePushes(queue, stack.store, ['+447400300003'], 'sil-c');
    await delivered([id!]);

    assert.ok(unanswered.length >= 1, 'submits went into the silent session');
    const hung = unanswered[0]!.session;
    assert.ok(
      unanswered.every((u) => u.session === hung),
      'one session went silent',
    );
    const first = Math.min(...unanswered.map((u) => u.at.getTime()));
    const last = Math.max(...unanswered.map((u) => u.at.getTime()));
    assert.ok(last - first < RESPONSE_TIMEOUT_MS, 'nothing was submitted into it after its first submit timed out');
    const fresh = stack.smsc.received.filter((r) => r.destinationAddr === '447400300003');
    assert.ok(fresh.length >= 1 && fresh.every((r) => r.session !== hung && !sessionsBefore.has(r.session)));
    const resubmittedAt = Math.min(...fresh.map((r) => r.at.getTime()));
    const silence = resubmittedAt - first;
    t.diagnostic(
      `silent SMSC: first unanswered submit → resubmission on a fresh bind ${silence} ms ` +
        `(${(silence / RESPONSE_TIMEOUT_MS).toFixed(2)} × the ${RESPONSE_TIMEOUT_MS} ms response timeout)`,
    );
    assert.ok(silence <= 1.5 * RESPONSE_TIMEOUT_MS, `${silence} ms from silence to resubmission`);

    assert.deepEqual(
      [...acceptedSegments(stack.smsc).values()].filter((n) => n > 1),
      [],
      'no segment accepted twice',
    );
    assert.deepEqual([...completeNumbers(stack.smsc)].sort(), ['447400300001', '447400300002', '447400300003']);
  } finally {
    await queue.close();
    conn.disconnect();
    await stack.close();
  }
});
