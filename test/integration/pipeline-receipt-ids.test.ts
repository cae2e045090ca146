import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { startTestRedis } from '../helpers/redis.js';
import { testConfig, waitFor } from '../helpers/stack.js';
import { enqueuePushes, workerStack } from '../helpers/worker-stack.js';

// The worker finds a receipt's message id in memory first (filled as each
// submit_sm_resp arrives) and submits a push's segments back to back. An SMSC that reuses
// message ids (here: a second dev SMSC numbering from 1 again — `firstMessageId` — on the same Redis) leaves
// stale id → segment pointers in Redis; a receipt arriving in the same read as its
// submit_sm_resp must still land on the bootstrap that was just submitted.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis.stop();
});

async function round(tag: string, nums: string[]) {
  const prefix = `{t-rid-${tag}}`;
  // receipts 0 ms after the response: both usually arrive in one read on loopback
  const stack = await workerStack(redis.url, { prefix, smsc: { receiptDelayMs: 0, firstMessageId: 1 } });
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  try {
    const ids = await enqueuePushes(queue, stack.store, nums, tag);
    for (const id of ids)
      await waitFor(`${id} delivered`, async () => (await stack.store.get(id))?.status === 'delivered', 20_000);
    return { ids, smscIds: stack.smsc.received.map((r) => r.messageId) };
  } finally {
    await queue.close();
    conn.disconnect();
    await stack.close();
  }
}

test('receipts for reused SMSC message ids reach the bootstrap just submitted, not an older one', async () => {
  const conn = createRedis(redis.url, 'fast');
  const reader = new BootstrapStore(conn, testConfig(redis.url).dataEncryptionKey);
  after(() => conn.disconnect());
  const first = await round('a', ['+447400300010', '+447400300020', '+447400300030']);
  const firstStates = await Promise.all(first.ids.map(async (id) => (await reader.get(id))!.segmentStates));
  const second = await round('b', ['+447400300040', '+447400300050', '+447400300060']);
  assert.ok(
    second.smscIds.some((id) => first.smscIds.includes(id)),
    'the second SMSC reused message ids of the first',
  );
  for (const id of second.ids) {
    const rec = (await reader.get(id))!;
    assert.equal(rec.segmentStates.length, rec.segments);
    assert.ok(
      rec.segmentStates.every((s) => s.receipt?.state === 'DELIVRD'),
      `${id}: every segment has its own receipt`,
    );
  }
  // A misdirected receipt would rewrite the older record's receipt time for that id.
  const after2 = await Promise.all(first.ids.map(async (id) => (await reader.get(id))!.segmentStates));
  assert.deepEqual(after2, firstStates, 'no receipt of the second SMSC was applied to the first round');
});
