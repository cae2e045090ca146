import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { EventSink, stateEventsDelivered } from '../helpers/event-sink.js';
import { runNode, startProcessPeers, type Proc, type ProcessPeers } from '../helpers/proc.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { enqueuePushes } from '../helpers/worker-stack.js';

// kill -9 of the worker at the new states (pushes, receipts, enrolment deadlines, event
// deliveries in flight): no state event is lost, and a local subscriber counting events by id
// sees each one; a repeat is possible only for a delivery the kill cut between the
// subscriber's answer and the job's completion. lifecycle-kill-web.test.ts kills the web.
const PUSHES = 12;
const WORKER_KILLS = 5;
/** The events worker's concurrency (app/lifecycle.ts). */
const EVENTS_CONCURRENCY = 5;
const SECRET = 'lifecycle-kill-subscriber-secret';
let peers: ProcessPeers;
const sink = new EventSink(SECRET);

before(async () => {
  const url = await sink.listen();
  peers = await startProcessPeers('lckill', {
    smsc: { receiptDelayMs: 5, faults: { respondDelayMs: 2 } },
    env: {
      LOG_LEVEL: 'warn',
      WORKER_LOCK_MS: '1000',
      WORKER_MAX_STALLED: '1000',
      WORKER_CONCURRENCY: '4',
      SMPP_RESPONSE_TIMEOUT_MS: '1000',
      SMPP_TPS: '100',
      ENROLMENT_WINDOW_S: '2',
      EVENT_SUBSCRIBERS: JSON.stringify([{ name: 'sink', url, secret: SECRET }]),
    },
  });
});
after(async () => {
  await peers.close();
  await sink.close();
});

test(`kill -9 of the worker ${WORKER_KILLS} times: every state event reaches the subscriber`, {
  timeout: 300_000,
}, async () => {
  const conn = createRedis(peers.redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conn });
  const store = new BootstrapStore(conn, TEST_KEY);
  let worker: Proc | null = null;
  try {
    const numbers = Array.from({ length: PUSHES }, (_, i) => `+4474006${String(i).padStart(5, '0')}`);
    // Queued without publishing: the workers' follow-ups must publish what the producer did not.
    const ids = await enqueuePushes(queue, store, numbers, 'lck');
    for (let k = 0; k < WORKER_KILLS; k++) {
      const before = sink.events.length + peers.smsc.received.length;
      worker = runNode('src/main/worker.js', peers.env);
      await waitFor(
        'this worker working',
        () => sink.events.length + peers.smsc.received.length > before || worker!.child.exitCode !== null,
        30_000,
      ).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 300));
      worker.child.kill('SIGKILL');
      await worker.exit();
    }
    // The last worker stays: up before anything waits on it (a SIGTERM before its handlers would kill it).
    worker = runNode('src/main/worker.js', { ...peers.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/smpp bound/, 30_000);
    for (const id of ids)
      await waitFor(`${id} not-enrolled`, async () => (await store.status(id)) === 'not-enrolled', 60_000);

    // Every state event on every timeline reached the subscriber; nothing else did.
    const expected = await stateEventsDelivered(sink, store, ids);
    const counts = sink.counts();
    assert.deepEqual(
      [...counts.keys()].filter((id) => !expected.has(id)),
      [],
      'no event that is not on a timeline',
    );
    // A kill can cut each delivery in flight (the events worker runs EVENTS_CONCURRENCY at once)
    // between the subscriber's answer and the job's completion, and those are sent again (the
    // CloudEvent keeps its id, so the subscriber can tell). More than that is a lost completion.
    const repeats = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    assert.ok(
      repeats <= WORKER_KILLS * EVENTS_CONCURRENCY,
      `${repeats} repeated deliveries: at most the deliveries in flight at each worker kill`,
    );
    assert.ok(
      sink.events.every((e) => e.signed),
      'all signed',
    );
    process.stdout.write(`# lifecycle-kill-worker: ${expected.size} state events, ${repeats} repeated deliveries\n`);
    worker.child.kill('SIGTERM');
    assert.equal((await worker.exit(20_000)).code, 0, worker.out());
    worker = null;
  } finally {
    worker?.child.kill('SIGKILL');
    await queue.close();
    conn.disconnect();
  }
});
