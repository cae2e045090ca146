import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import request from 'supertest';
import { freePort } from '../../src/dev/redis.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/dm/signature.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { EventSink, stateEventsDelivered } from '../helpers/event-sink.js';
import { runNode, startProcessPeers, type Proc, type ProcessPeers } from '../helpers/proc.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { enqueuePushes } from '../helpers/worker-stack.js';

// kill -9 of the web while the DM server's session signals land (a late enrolment after
// not-enrolled): the DM server retries with a fresh signature until it gets a 200, every
// enrolment lands once on its timeline, and every state event reaches the subscriber once.
const PUSHES = 12;
const WEB_KILLS = 2;
const SECRET = 'lifecycle-kill-subscriber-secret';
let peers: ProcessPeers;
const sink = new EventSink(SECRET);

before(async () => {
  const url = await sink.listen();
  peers = await startProcessPeers('lckill', {
    smsc: { receiptDelayMs: 5 },
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

/** A DM server reporting a session, retrying (freshly signed) until bootline answers 200. */
async function report(base: string, clientName: string): Promise<boolean> {
  const body = JSON.stringify({
    serverId: 'com.example.dm',
    clientName,
    event: 'session-started',
    at: new Date().toISOString(),
  });
  const ts = Math.floor(Date.now() / 1000);
  const res = await request(base)
    .post('/api/dm/sessions')
    .set({ 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts) })
    .set(SIGNATURE_HEADER, signBody(peers.env.DM_REGISTER_SECRET!, ts, body))
    .timeout(5_000)
    .send(body)
    .catch(() => null);
  return res?.status === 200;
}

test(`kill -9 of the web ${WEB_KILLS} times among DM session signals: no enrolment or event lost`, {
  timeout: 300_000,
}, async () => {
  const conn = createRedis(peers.redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conn });
  const store = new BootstrapStore(conn, TEST_KEY);
  let worker: Proc | null = null;
  let web: Proc | null = null;
  try {
    const numbers = Array.from({ length: PUSHES }, (_, i) => `+4474006${String(i).padStart(5, '0')}`);
    // Queued without publishing: the worker's follow-ups publish what the producer did not.
    const ids = await enqueuePushes(queue, store, numbers, 'lck');
    // The last worker stays: up before anything waits on it (a SIGTERM before its handlers would kill it).
    worker = runNode('src/main/worker.js', { ...peers.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/smpp bound/, 30_000);
    for (const id of ids)
      await waitFor(`${id} not-enrolled`, async () => (await store.status(id)) === 'not-enrolled', 60_000);

    // Half the devices open their DM session late: the web is killed while the signals land.
    const late = ids.slice(0, PUSHES / 2);
    const port = await freePort();
    const webEnv = { ...peers.env, PORT: String(port), LOG_LEVEL: 'info' };
    const base = `http://127.0.0.1:${port}`;
    const done = new Set<string>();
    for (let k = 0; k <= WEB_KILLS; k++) {
      web = runNode('src/main/web.js', webEnv);
      await web.waitFor(/web listening/, 30_000);
      const pending = late.filter((id) => !done.has(id));
      const posts = pending.map(async (id) => {
        const ok = await report(base, peers.dm.registrations.get(id)!.appAuth[0]!.AAUTHNAME);
        if (ok) done.add(id);
      });
      if (k < WEB_KILLS) {
        await new Promise((r) => setTimeout(r, Math.random() * 40));
        web.child.kill('SIGKILL');
        await web.exit();
        await Promise.all(posts);
      } else {
        await Promise.all(posts);
        assert.equal(done.size, late.length, 'every signal answered 200 in the end');
      }
    }
    for (const id of late) assert.equal(await store.status(id), 'enrolled', id);

    // Every state event on every timeline reached the subscriber; nothing else did.
    const expected = await stateEventsDelivered(sink, store, ids);
    const counts = sink.counts();
    assert.deepEqual(
      [...counts.keys()].filter((id) => !expected.has(id)),
      [],
      'no event that is not on a timeline',
    );
    const repeats = [...counts.values()].filter((n) => n > 1).length;
    assert.equal(repeats, 0, 'the worker delivering the events was never killed: each once');
    for (const id of late)
      assert.equal(
        (await store.timeline(id)).filter((e) => e.event === 'enrolled').length,
        1,
        `${id} enrolled once on its timeline`,
      );
    assert.ok(
      sink.events.every((e) => e.signed),
      'all signed',
    );
    process.stdout.write(`# lifecycle-kill-web: ${expected.size} state events, ${repeats} repeated deliveries\n`);
    worker.child.kill('SIGTERM');
    assert.equal((await worker.exit(20_000)).code, 0, worker.out());
    worker = null;
    web?.child.kill('SIGTERM');
    await web?.exit(20_000);
    web = null;
  } finally {
    worker?.child.kill('SIGKILL');
    web?.child.kill('SIGKILL');
    await queue.close();
    conn.disconnect();
  }
});
