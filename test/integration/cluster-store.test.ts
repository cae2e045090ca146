import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { isBootlineError } from '../../src/errors.js';
import { createRedis, type RedisClient, type RedisTarget } from '../../src/platform/redis/client.js';
import { KEYS, QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { GLOBAL_TPS_KEY, GlobalTpsLimit } from '../../src/smpp/global-limit.js';
import { readSmscHealth, startSmscHeartbeat } from '../../src/smpp/heartbeat.js';
import { QUEUES } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { ReplayGuard } from '../../src/voice/replay.js';
import { CallLedger } from '../../src/voice/call-ledger.js';
import { CallStateStore, type CallState } from '../../src/voice/call-state.js';
import { OtpStore } from '../../src/voice/otp.js';
import { startTestRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';

// Every Redis operation bootline makes, run against a real 3-master Redis Cluster: a MULTI,
// pipeline or Lua script touching two slots would fail here with CROSSSLOT.
let cluster: TestRedisCluster;
let target: RedisTarget;
let r: RedisClient;

before(async () => {
  cluster = await startTestRedisCluster(3);
  target = { redisUrl: cluster.url, redisClusterNodes: cluster.nodes };
  r = createRedis(target, 'fast');
});
after(async () => {
  r.disconnect();
  await cluster.stop();
});

const slot = async (key: string) => Number(await r.call('CLUSTER', 'KEYSLOT', key));

test('every key family of one bootstrap, and of one call, hashes to one slot', async () => {
  const id = 'bs-CAslots0001';
  const bs = await Promise.all(
    [
      KEYS.bootstrap(id),
      KEYS.bootstrapPin(id),
      KEYS.bootstrapSegments(id),
      KEYS.bootstrapReceipts(id),
      KEYS.bootstrapLease(id),
    ].map(slot),
  );
  assert.equal(new Set(bs).size, 1, `bootstrap keys: ${bs}`);
  // The call's keys (state; the OTP code and counters are checked below by scanning).
  const ids = Array.from({ length: 40 }, (_, i) => `bs-CAspread${i}`);
  const slots = new Set(await Promise.all(ids.map((i) => slot(KEYS.bootstrap(i)))));
  assert.ok(slots.size > 30, `different bootstraps spread over the cluster (${slots.size} slots for 40 ids)`);
  const masters = new Set(await Promise.all(ids.map(async (i) => (await slot(KEYS.bootstrap(i))) >> 12)));
  assert.ok(masters.size > 1, 'spread over more than one slot range');
});

test('call state, webhook claims and one-time codes: all keys of a call in one slot, every operation legal', async () => {
  const callSid = 'CAcluster00000000000000000000001';
  const calls = new CallStateStore(r);
  // As main/web.ts: auto-pipelining on a Cluster routes each command by its first argument.
  const piped = createRedis(target, 'fast', { enableAutoPipelining: true });
  after(() => piped.disconnect());
  const replay = new ReplayGuard(piped);
  const ledger = new CallLedger(piped, replay, TEST_KEY);
  const otp = new OtpStore(r, TEST_KEY);
  const state: CallState = {
    callSid,
    flowId: 'bootstrap',
    revision: 'r1',
    step: 'language',
    lang: 'en',
    attempts: {},
    startedAt: new Date().toISOString(),
  };
  // The ledger's scripts touch the tombstone, the state and the request claim: CROSSSLOT here if they were apart.
  assert.deepEqual(await ledger.open(state, 'tok:first', '<Response/>'), { kind: 'created' });
  assert.deepEqual(await ledger.open(state, 'tok:first', '<Response/>'), { kind: 'duplicate', answer: '<Response/>' });
  // Calls whose keys live on every master, at once (one auto-pipelined batch per node).
  const many = Array.from({ length: 30 }, (_, i) => ({ ...state, callSid: `CAmany${String(i).padStart(26, '0')}` }));
  assert.deepEqual(
    new Set(
      await Promise.all(many.map((c, i) => ledger.open(c, i % 2 ? 'tok:x' : null, '<Response/>').then((o) => o.kind))),
    ),
    new Set(['created']),
  );
  assert.deepEqual(
    new Set(
      await Promise.all(
        many.map((c) =>
          ledger.begin(c.callSid, null).then((b) => b.kind === 'fresh' && b.state?.callSid === c.callSid),
        ),
      ),
    ),
    new Set([true]),
  );
  await Promise.all(
    many.map((c, i) => Promise.all([calls.remove(c.callSid), ledger.release(c.callSid, i % 2 ? 'tok:x' : null)])),
  );
  const begun = await ledger.begin(callSid, 'tok:second');
  assert.equal(begun.kind, 'fresh');
  assert.equal(begun.kind === 'fresh' ? begun.state?.step : undefined, 'language');
  await ledger.commit({ ...state, step: 'welcome' }, 'tok:second', '<Response><Hangup/></Response>');
  assert.equal((await calls.load(callSid))?.step, 'welcome');
  const issued = await otp.issue(callSid, '+447400123456');
  assert.ok(issued);
  assert.equal(await otp.check(callSid, '+447400123456', issued.code === '000000' ? '111111' : '000000'), 'wrong');
  assert.equal(await otp.check(callSid, '+447400123456', issued.code), 'ok');
  await otp.issue(callSid, '+447400123456');
  const keys = await keysMatching(`*{${callSid}}*`);
  assert.ok(keys.length >= 3, `call, otp counters and code: ${keys}`);
  assert.equal(new Set(await Promise.all(keys.map(slot))).size, 1, `one slot for ${keys}`);
  await otp.clear(callSid); // one DEL over two keys: legal only because they share the slot
  await calls.remove(callSid);
  await ledger.release(callSid, 'tok:first');
  await ledger.release(callSid, 'tok:second');
  assert.deepEqual(await keysMatching(`*{${callSid}}*`), []);
  await replay.ended(callSid);
  assert.deepEqual(await ledger.begin(callSid, null), { kind: 'ended' });
  await r.del(KEYS.callEnded(callSid));
});

test('bootstrap lifecycle on the cluster: create, segments, receipts, delivered; fail and retry', async () => {
  const store = new BootstrapStore(r, TEST_KEY);
  const id = 'bs-CAclusterlife1';
  assert.ok(await store.create({ id, msisdn: '+447400123456', flowId: 'bootstrap', pin: '123456' }));
  assert.equal(await store.create({ id, msisdn: '+447400123456', flowId: 'bootstrap', pin: '123456' }), false);
  const cred = () => ({
    clientName: 'c',
    clientSecret: 's',
    clientNonce: 'n',
    serverName: 'S',
    serverSecret: 'T',
    serverNonce: 'N',
  });
  await store.credentials(id, cred);
  assert.ok(await store.startRun(id, 'run-a', 5_000, cred));
  const segs = [0, 1, 2].map((i) => ({ index: i, messageId: `msg-${i}-0a1b2c` }));
  assert.equal(
    await store.recordRun(id, segs, { round: 1, segments: 3, registered: true, finish: true, owner: 'run-a' }),
    'submitted',
  );
  assert.equal((await store.get(id))?.segmentStates.length, 3);
  for (const i of [0, 1, 2]) {
    const ref = await store.smscRef(`msg-${i}-0a1b2c`);
    assert.deepEqual(ref, { id, round: 1, index: i });
    await store.applyReceipts(ref!, [{ messageId: `msg-${i}-0a1b2c`, state: 'DELIVRD', err: '000' }]);
  }
  const rec = await store.get(id);
  assert.equal(rec?.status, 'delivered');
  assert.equal(rec?.segmentStates.filter((s) => s.receipt?.state === 'DELIVRD').length, 3);
  assert.deepEqual(await store.idsForMsisdn('+447400123456'), [id]);
  await assert.rejects(store.pin(id), /gone/, 'the PIN is deleted once delivered');

  const id2 = 'bs-CAclusterlife2';
  await store.create({ id: id2, msisdn: '+447400123457', flowId: 'bootstrap', pin: '654321' });
  await store.recordRun(id2, [{ index: 0, messageId: 'msg-x-1' }], {
    round: 1,
    segments: 1,
    registered: false,
    finish: false,
    owner: 'run-a',
  });
  assert.equal(await store.fail(id2, 'failed', 'SMPP_REJECTED', 'refused'), 'failed');
  assert.equal(await store.retry(id2), 2);
  assert.equal((await store.get(id2))?.status, 'queued');
  assert.equal((await store.get(id2))?.segmentStates.length, 0, 'the old round forgotten');
});

test('submit lease: one run at a time; the owner extends it; a lapsed lease goes to the next run', async () => {
  const store = new BootstrapStore(r, TEST_KEY);
  const id = 'bs-CAlease1';
  await store.create({ id, msisdn: '+447400123458', flowId: 'bootstrap', pin: '123456' });
  const fresh = () => ({
    clientName: 'c',
    clientSecret: 's',
    clientNonce: 'n',
    serverName: 'S',
    serverSecret: 'T',
    serverNonce: 'N',
  });
  await store.startRun(id, 'run-a', 300, fresh);
  await store.startRun(id, 'run-a', 300, fresh); // extending our own
  await assert.rejects(
    store.startRun(id, 'run-b', 300, fresh),
    (e: unknown) => isBootlineError(e, 'BOOTSTRAP_BUSY') && e.retry === 'retry',
  );
  await waitFor('lease lapsed', async () => (await r.exists(KEYS.bootstrapLease(id))) === 0, 5_000);
  await store.startRun(id, 'run-b', 60_000, fresh);
  await assert.rejects(
    store.startRun(id, 'run-a', 300, fresh),
    /another run/,
    'the first run, back from a stall, stops',
  );
  await store.releaseSubmit(id, 'run-a'); // not ours any more: no effect
  assert.equal(await r.get(KEYS.bootstrapLease(id)), 'run-b');
  await store.releaseSubmit(id, 'run-b');
  assert.equal(await r.exists(KEYS.bootstrapLease(id)), 0);
  assert.equal(await slot(KEYS.bootstrapLease(id)), await slot(KEYS.bootstrap(id)), "in the bootstrap's slot");
});

test('BullMQ with the {bl} prefix on the cluster, heartbeat hash, and the global TPS key', async () => {
  const conns = [createRedis(target, 'fast'), createRedis(target, 'patient')] as const;
  const queue = new Queue(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conns[0] });
  const done: string[] = [];
  const worker = new Worker(
    QUEUES.bootstrap.name,
    async (job) => {
      done.push(job.id!);
    },
    { prefix: QUEUE_PREFIX, connection: conns[1] },
  );
  try {
    for (let i = 0; i < 20; i++) await queue.add('push', { bootstrapId: `bs-q${i}` }, { jobId: `bs-q${i}` });
    await waitFor('20 jobs done', () => done.length === 20, 20_000);
  } finally {
    await worker.close();
    await queue.close();
    for (const c of conns) c.disconnect();
  }
  const beat = startSmscHeartbeat(r, () => ({ binds: 2, bound: 2, inFlight: 0 }), 'w-test');
  await waitFor('heartbeat seen', async () => (await readSmscHealth(r)).bound === 2);
  await beat.stop();
  await new GlobalTpsLimit(r, { tps: 10 }).take();
  assert.ok(await r.exists(GLOBAL_TPS_KEY), 'limiter state kept in Redis');
});

/** Keys on every master (SCAN is per node on a cluster). */
async function keysMatching(pattern: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of cluster.nodes) {
    const one = createRedis(`redis://${n.host}:${n.port}`, 'fast');
    out.push(...(await one.keys(pattern)));
    one.disconnect();
  }
  return out.sort();
}
