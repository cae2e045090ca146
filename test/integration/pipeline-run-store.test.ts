import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshCredentials } from '../../src/dm/credentials.js';
import { isBootlineError } from '../../src/errors.js';
import { createRedis, type RedisClient } from '../../src/platform/redis/client.js';
import { RunRecorder } from '../../src/deliveries/run/recorder.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { startTestRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_KEY } from '../helpers/stack.js';

// The push run's Redis steps (two round trips a push, one script per receipt burst),
// on one Redis and on a 3-master cluster, where a script touching two slots is refused.
let single: Awaited<ReturnType<typeof startTestRedis>>;
let cluster: TestRedisCluster;
const conns: RedisClient[] = [];
before(async () => {
  [single, cluster] = await Promise.all([startTestRedis(), startTestRedisCluster(3)]);
});
after(async () => {
  for (const c of conns) c.disconnect();
  await Promise.all([single.stop(), cluster.stop()]);
});

function storeOn(kind: 'single' | 'cluster'): BootstrapStore {
  const c =
    kind === 'single'
      ? createRedis(single.url, 'fast')
      : createRedis({ redisUrl: cluster.url, redisClusterNodes: cluster.nodes }, 'fast');
  conns.push(c);
  return new BootstrapStore(c, TEST_KEY);
}

const fresh = (id: string) => () => freshCredentials('com.example.dm', id);
const writer =
  (store: BootstrapStore, id: string, owner: string, writes: boolean[]) =>
  (segs: Array<{ index: number; messageId: string }>, finish: boolean, registered: boolean) => {
    writes.push(finish);
    return store.recordRun(id, segs, { round: 1, segments: 3, registered, finish, owner });
  };

for (const kind of ['single', 'cluster'] as const) {
  test(`${kind}: a run claims the lease and reads in one step; one write per burst records the segments and ends the run`, async () => {
    const store = storeOn(kind);
    const id = `bs-run-${kind}`;
    assert.equal(await store.startRun(id, 'run-a', 5_000, fresh(id)), null, 'no record, no run');
    await store.create({ id, msisdn: '+447400555001', flowId: 'bootstrap', pin: '135790' });
    const snap = await store.startRun(id, 'run-a', 5_000, fresh(id));
    assert.equal(snap?.pin, '135790');
    assert.ok(snap?.cred?.clientSecret);
    await assert.rejects(store.startRun(id, 'run-b', 5_000, fresh(id)), (e: unknown) =>
      isBootlineError(e, 'BOOTSTRAP_BUSY'),
    );
    const again = await store.startRun(id, 'run-a', 5_000, fresh(id));
    assert.deepEqual(again?.cred, snap?.cred, 'credentials are stored once');
    const writes: boolean[] = [];
    const rec = new RunRecorder(writer(store, id, 'run-a', writes), 0, 3, true);
    await Promise.all([0, 1, 2].map((i) => rec.add({ index: i, messageId: `m-${kind}-${i}` })));
    await rec.finish();
    assert.deepEqual(writes, [true], 'three responses in one tick: one write, which ends the run');
    assert.equal(rec.status, 'submitted');
    const r = await store.get(id);
    assert.equal(r?.segmentStates.length, 3);
    assert.ok(r?.registeredAt);
    assert.deepEqual(await store.smscRef(`m-${kind}-2`), { id, round: 1, index: 2 });
    assert.ok(await store.startRun(id, 'run-b', 5_000, fresh(id)), 'the lease was released with the last write');
  });

  test(`${kind}: bursts in different ticks; the run ends only once every segment is confirmed`, async () => {
    const store = storeOn(kind);
    const id = `bs-split-${kind}`;
    await store.create({ id, msisdn: '+447400555002', flowId: 'bootstrap', pin: '135790' });
    await store.startRun(id, 'run-a', 5_000, fresh(id));
    const writes: boolean[] = [];
    const rec = new RunRecorder(writer(store, id, 'run-a', writes), 1, 3, false);
    const first = rec.add({ index: 1, messageId: `s-${kind}-1` });
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, rec.add({ index: 2, messageId: `s-${kind}-2` })]);
    assert.equal(await store.status(id), writes.includes(true) ? 'submitted' : 'queued');
    await rec.finish();
    assert.equal(rec.status, 'submitted');
    assert.equal(writes.filter(Boolean).length, 1, 'exactly one write ends the run');
  });

  test(`${kind}: a burst of receipts in one script lands as one call each would`, async () => {
    const store = storeOn(kind);
    const id = `bs-dlr-${kind}`;
    await store.create({ id, msisdn: '+447400555003', flowId: 'bootstrap', pin: '135790' });
    await store.startRun(id, 'run-a', 5_000, fresh(id));
    const rec = new RunRecorder(writer(store, id, 'run-a', []), 0, 3, false);
    await Promise.all([0, 1, 2].map((i) => rec.add({ index: i, messageId: `d-${kind}-${i}` })));
    assert.equal(
      await store.applyReceipts({ id, round: 2 }, [{ messageId: `d-${kind}-0`, state: 'DELIVRD', err: '000' }]),
      'stale',
    );
    assert.equal(
      await store.applyReceipts({ id, round: 1 }, [
        { messageId: `d-${kind}-0`, state: 'ENROUTE', err: '000' },
        { messageId: `d-${kind}-1`, state: 'DELIVRD', err: '000' },
      ]),
      'submitted',
    );
    const dlr = ['0', '2'].map((i) => ({ messageId: `d-${kind}-${i}`, state: 'DELIVRD', err: '000' }));
    assert.equal(await store.applyReceipts({ id, round: 1 }, dlr), 'delivered');
    await assert.rejects(
      store.pin(id),
      (e: unknown) => isBootlineError(e, 'BOOTSTRAP_SECRET_EXPIRED'),
      'the PIN goes once delivered',
    );
    assert.equal(
      await store.applyReceipts({ id, round: 1 }, [{ messageId: `d-${kind}-1`, state: 'UNDELIV', err: '001' }]),
      'delivered',
      'terminal stays',
    );
  });
}
