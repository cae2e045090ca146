import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { runNode, startProcessPeers, type ProcessPeers } from '../helpers/proc.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { completeNumbers, enqueuePushes, submitsBySegment } from '../helpers/worker-stack.js';

const KILLS = 20;
const PUSHES = 150;
const CONCURRENCY = 4;
let peers: ProcessPeers;
let redis: ProcessPeers['redis'];
let smsc: ProcessPeers['smsc'];
let env: Record<string, string>;

before(async () => {
  peers = await startProcessPeers('kill', {
    // A few ms per answer, like an SMSC across a network: several submits are in flight at
    // any moment, so kills land with segments sent but not yet acknowledged.
    smsc: { receiptDelayMs: 5, faults: { respondDelayMs: 2 } },
    env: {
      LOG_LEVEL: 'warn',
      // A dead worker's jobs come back after 1 s instead of 30, and may stall many times here.
      // 100 submit_sm/s: the 180 segments take a couple of seconds of worker time, spread over the kills.
      WORKER_LOCK_MS: '1000',
      WORKER_MAX_STALLED: '1000',
      WORKER_CONCURRENCY: String(CONCURRENCY),
      SMPP_RESPONSE_TIMEOUT_MS: '1000',
      SMPP_TPS: '100',
    },
  });
  ({ redis, smsc, env } = peers);
});
after(() => peers.close());

// 21 worker processes start one after another: on a loaded 2-core box that alone can take a minute.
test(`SIGKILL the worker ${KILLS} times mid-job: 0 lost, 0 acknowledged segments re-sent`, {
  timeout: 240_000,
}, async () => {
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conn });
  const store = new BootstrapStore(conn, TEST_KEY);
  const numbers = Array.from({ length: PUSHES }, (_, i) => `+4474005${String(i).padStart(5, '0')}`);
  const ids = await enqueuePushes(queue, store, numbers, 'kill');
  let kills = 0;
  try {
    while (kills < KILLS && completeNumbers(smsc).size < PUSHES) {
      const before = smsc.received.length;
      const w = runNode('src/main/worker.js', env);
      // Mid-job: the SMSC has accepted a segment from this worker; then a random moment.
      await waitFor(
        'this worker submitting',
        () => smsc.received.length > before || completeNumbers(smsc).size === PUSHES || w.child.exitCode !== null,
        60_000, // a worker starting on a loaded box
      );
      assert.equal(w.child.exitCode, null, w.out());
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      w.child.kill('SIGKILL');
      await w.exit();
      kills++;
    }
    const w = runNode('src/main/worker.js', env);
    for (const id of ids) {
      await waitFor(`${id} delivered`, async () => (await store.status(id)) === 'delivered', 30_000).catch(
        async (err: Error) => {
          const job = await queue.getJob(id);
          throw new Error(
            `${err.message}: ${JSON.stringify(await store.get(id))} job ${await job?.getState()} ${job?.failedReason} smsc sessions ${smsc.sessions} pending receipts ${smsc.pendingReceipts}\n${w.out()}`,
          );
        },
      );
    }
    w.child.kill('SIGTERM');
    const exit = await w.exit(60_000);
    assert.equal(exit.code, 0, `${JSON.stringify(exit)}\n${w.out()}`);
  } finally {
    await queue.close();
    conn.disconnect();
  }
  // On a loaded machine the last kills can come after the work is done; most must land mid-run.
  assert.ok(kills >= KILLS / 2, `kills landed while pushes were still going (${kills}/${KILLS})`);
  assert.equal(completeNumbers(smsc).size, PUSHES, '0 lost: every push complete at the SMSC');
  // A segment whose message id bootline recorded was never sent again (that would be a bug).
  // A segment the SMSC accepted while the worker was being killed, its submit_sm_resp never
  // read, is re-sent: SMPP has no idempotency key, so that case is at-least-once by design,
  // bounded by what a kill interrupts: the segments of the jobs it was running (kills ×
  // concurrency × segments a push; the slower the box, the more of them are in flight). It is
  // counted and reported here.
  const check = createRedis(redis.url, 'fast');
  const store2 = new BootstrapStore(check, TEST_KEY);
  let ambiguous = 0;
  const resentAcknowledged: string[] = [];
  for (const [key, ids] of submitsBySegment(smsc)) {
    if (ids.length < 2) continue;
    const recorded = await Promise.all(ids.map(async (id) => (await store2.smscRef(id)) !== null));
    // Only the last accepted copy may be the recorded one; every earlier copy must be unknown to bootline.
    if (recorded.slice(0, -1).some(Boolean)) resentAcknowledged.push(key);
    ambiguous += ids.length - 1;
  }
  check.disconnect();
  assert.deepEqual(resentAcknowledged, [], '0 duplicates of acknowledged segments');
  const perPush = submitsBySegment(smsc).size / PUSHES;
  const bound = KILLS * CONCURRENCY * perPush;
  assert.ok(
    ambiguous <= bound,
    `re-sent unacknowledged segments within what the kills interrupted: ${ambiguous}/${bound}`,
  );
  process.stdout.write(
    `# kill test: ${KILLS} kills, ${smsc.received.length} submits accepted for ${PUSHES * 3} segments, ${ambiguous} re-sent after a kill ate the submit_sm_resp\n`,
  );
});
