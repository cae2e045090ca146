import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { freePort } from '../../src/dev/redis.js';
import { QUEUES } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { runNode, startProcessPeers, type ProcessPeers } from '../helpers/proc.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';

let peers: ProcessPeers;
let redis: ProcessPeers['redis'];
let smsc: ProcessPeers['smsc'];
let dm: ProcessPeers['dm'];
let env: Record<string, string>;

before(async () => {
  peers = await startProcessPeers('proc');
  ({ redis, smsc, dm, env } = peers);
});
after(() => peers.close());

test('missing configuration: both processes list every problem and exit 1', async () => {
  for (const script of ['src/main/web.js', 'src/main/worker.js']) {
    const p = runNode(script, { SMPP_URL: 'nope' });
    const { code } = await p.exit();
    assert.equal(code, 1, script);
    for (const name of ['TWILIO_AUTH_TOKEN', 'SMPP_URL', 'DM_SERVER_URL', 'DM_SERVER_ID', 'DATA_ENCRYPTION_KEY'])
      assert.match(p.out(), new RegExp(name), `${script} names ${name}`);
  }
  const { DM_REGISTER_URL: _u, DM_REGISTER_SECRET: _s, ...withoutDm } = env;
  const p = runNode('src/main/worker.js', withoutDm);
  assert.equal((await p.exit()).code, 1);
  assert.match(p.out(), /DM_REGISTER_URL/, 'the worker needs the DM registration endpoint');
});

test('web: /readyz answers, SIGTERM drains and exits 0', async () => {
  const port = await freePort();
  const web = runNode('src/main/web.js', { ...env, PORT: String(port) });
  try {
    await web.waitFor(/web listening/);
    const ready = await waitFor('ready', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      return r.status === 200 ? r : null;
    });
    // No worker holds an SMPP bind yet: reported, but the web still takes calls (200).
    assert.deepEqual(await ready.json(), {
      status: 'degraded',
      checks: { redis: true, queue: true },
      pipeline: { ok: false, workers: 0, binds: 0, bound: 0 },
    });
    web.child.kill('SIGTERM');
    const { code } = await web.exit();
    assert.equal(code, 0);
    assert.match(web.out(), /"step":"redis".*shutdown step done/);
  } finally {
    web.child.kill('SIGKILL');
  }
});

test('worker: pushes a queued bootstrap to the SMSC, then shuts down cleanly on SIGTERM', async () => {
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conn });
  const store = new BootstrapStore(conn, TEST_KEY);
  const worker = runNode('src/main/worker.js', env);
  try {
    await worker.waitFor(/smpp bound/);
    await store.create({ id: 'bs-proc1', msisdn: '+447400123499', flowId: 'bootstrap', pin: '123456' });
    await queue.add(QUEUES.bootstrap.job, { bootstrapId: 'bs-proc1' }, { jobId: 'bs-proc1' });
    await waitFor('submitted', () => smsc.received.some((r) => r.destinationAddr === '447400123499'));
    await waitFor('delivered', async () => (await store.get('bs-proc1'))?.status === 'delivered');
    assert.equal(
      dm.registrations.get('bs-proc1')?.msisdn,
      '+447400123499',
      'credentials registered with the DM server first',
    );
    worker.child.kill('SIGTERM');
    const { code } = await worker.exit();
    assert.equal(code, 0);
    assert.doesNotMatch(worker.out(), /123456/, 'the PIN never reaches the logs');
    assert.doesNotMatch(worker.out(), /447400123499/, 'the full number never reaches the logs');
  } finally {
    worker.child.kill('SIGKILL');
    await queue.close();
    conn.disconnect();
  }
});
