import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import request from 'supertest';
import { startPrivateRedis } from '../../src/dev/redis.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/dm/signature.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { EventSink, stateEventsDelivered } from '../helpers/event-sink.js';
import { waitFor, webStack } from '../helpers/stack.js';
import { DM_SECRET, enqueuePushes, workerStack } from '../helpers/worker-stack.js';

// A Redis restart (AOF on) while bootstraps wait for their receipts, their enrolment deadline
// and their outbound events: every state event of every timeline reaches the subscriber exactly
// once, and the lifecycle carries on to not-enrolled and (for a late session) enrolled.
const SECRET = 'lifecycle-restart-subscriber-00';

test('Redis restarts mid-lifecycle: no state event lost, none sent twice', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-lc-aof-'));
  let redis = await startPrivateRedis({ dir, durable: true });
  const sink = new EventSink(SECRET);
  const lifecycle = {
    enrolmentWindowS: 2,
    events: {
      source: null,
      subscribers: [{ name: 'sink', url: await sink.listen(), secret: SECRET, mode: 'structured' as const }],
    },
  };
  const prefix = '{t-lc-aof}';
  const stack = await workerStack(redis.url, {
    prefix,
    config: { lifecycle },
    smsc: { receiptDelayMs: 5, faults: { receipts: 'withhold', receiptDelayMs: 5 } },
  });
  const web = webStack(redis.url, {
    prefix,
    env: {
      DM_REGISTER_URL: stack.dm.url,
      DM_REGISTER_SECRET: DM_SECRET,
      EVENT_SUBSCRIBERS: JSON.stringify(lifecycle.events.subscribers),
    },
  });
  const conn = createRedis(redis.url, 'patient');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  try {
    await web.ready();
    const ids = await enqueuePushes(queue, stack.store, ['+447400310001', '+447400310002', '+447400310003'], 'lca');
    for (const id of ids) await waitFor(`${id} submitted`, async () => (await stack.store.status(id)) === 'submitted');

    await redis.stop();
    redis = await startPrivateRedis({ dir, durable: true, port: redis.port });
    await waitFor('reconnected', () => stack.redis.status === 'ready' && web.redis.status === 'ready', 15_000);

    stack.smsc.setFaults({ receiptDelayMs: 5 }); // the withheld receipts flow
    for (const id of ids)
      await waitFor(`${id} not-enrolled`, async () => (await stack.store.status(id)) === 'not-enrolled', 20_000);
    const clientName = stack.dm.registrations.get(ids[0]!)!.appAuth[0]!.AAUTHNAME;
    const body = JSON.stringify({
      serverId: 'com.example.dm',
      clientName,
      event: 'session-started',
      at: new Date().toISOString(),
    });
    const ts = Math.floor(Date.now() / 1000);
    const res = await request(web.app)
      .post('/api/dm/sessions')
      .set({ 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts) })
      .set(SIGNATURE_HEADER, signBody(DM_SECRET, ts, body))
      .send(body);
    assert.equal(res.body.state, 'enrolled');

    // An event whose delivery failed while Redis was away waits out its back-off (2 s, doubling).
    const expected = await stateEventsDelivered(sink, stack.store, ids);
    assert.equal(expected.size >= 12, true, 'queued, submitted, delivered, not-enrolled each, and one enrolled');
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would have arrived by now
    assert.deepEqual(
      [...sink.counts()].filter(([, n]) => n > 1),
      [],
      'none sent twice',
    );
    assert.deepEqual(
      [...sink.counts().keys()].filter((id) => !expected.has(id)),
      [],
      'nothing that is not on a timeline',
    );
  } finally {
    await queue.close();
    conn.disconnect();
    await web.close();
    await stack.close();
    await sink.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
