import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { acceptedSegments, enqueuePushes, workerStack } from '../helpers/worker-stack.js';

test('Redis restarts (AOF on): queued jobs and bootstrap statuses survive; the pipeline carries on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-aof-'));
  let redis = await startTestRedis({ dir, durable: true });
  const prefix = '{t-aof}';
  const stack = await workerStack(redis.url, {
    prefix,
    smsc: { receiptDelayMs: 5, faults: { receipts: 'withhold', receiptDelayMs: 5 } },
  });
  const conn = createRedis(redis.url, 'patient');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  try {
    const sent = await enqueuePushes(queue, stack.store, ['+447400300001', '+447400300002', '+447400300003'], 'aof1');
    for (const id of sent) await waitFor(`${id} submitted`, async () => (await stack.store.status(id)) === 'submitted');
    await stack.worker.pause();
    const waiting = await enqueuePushes(queue, stack.store, ['+447400300004', '+447400300005'], 'aof2');
    const before = await Promise.all(sent.map((id) => stack.store.get(id)));

    // SIGTERM: redis-server writes the AOF out and exits; then it starts again from it.
    await redis.stop();
    redis = await startTestRedis({ dir, durable: true, port: redis.port });
    await waitFor('worker side reconnected', () => stack.redis.status === 'ready' && conn.status === 'ready', 15_000);

    assert.deepEqual(
      await Promise.all(sent.map((id) => stack.store.get(id))),
      before,
      'statuses, timestamps and SMSC ids survived',
    );
    for (const id of waiting) assert.equal(await (await queue.getJob(id))?.getState(), 'waiting', `${id} still queued`);

    stack.worker.resume();
    stack.smsc.setFaults({ receiptDelayMs: 5 }); // receipts flow again (the withheld ones first)
    for (const id of [...sent, ...waiting])
      await waitFor(`${id} delivered`, async () => (await stack.store.status(id)) === 'delivered', 15_000);
    assert.deepEqual(
      [...acceptedSegments(stack.smsc).values()].filter((c) => c > 1),
      [],
      'nothing sent twice',
    );
  } finally {
    await queue.close();
    conn.disconnect();
    await stack.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
