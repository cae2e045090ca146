import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { DevSmsc } from '../../src/dev/smsc/server.js';
import { DmStandIn } from '../../src/dev/dm-server.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createRedis, type RedisClient } from '../../src/platform/redis/client.js';
import { QUEUE_PREFIX } from '../../src/platform/redis/keys.js';
import { freePort } from '../../src/dev/redis.js';
import { QUEUES } from '../../src/queues/catalogue.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';
import { CallSimulator } from '../../src/console/simulator/call.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { runNode, type Proc } from '../helpers/proc.js';
import { startTestRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.js';
import { rateBoundViolations, roundRobinTransport, runPool } from '../helpers/scale.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { completeNumbers, submitsBySegment } from '../helpers/worker-stack.js';

// Scale-out, end to end: a 3-master Redis Cluster, 2 web and 2 worker processes, 200 calls
// through the call simulator (every webhook to the next web process in turn), one worker
// SIGKILLed mid-run. Counts, not times: 200 pushes, each delivered once.
const CALLS = 200;
const PARALLEL = 16;
const KILL_AFTER = 60; // complete pushes at the SMSC before the kill
const TOTAL_TPS = 80;
const CONCURRENCY = 4;
const BASE = 'https://hotline.example.com';
const TOKEN = 'cluster-test-token-123';

let cluster: TestRedisCluster;
let smsc: DevSmsc;
let dm: DmStandIn;
let env: Record<string, string>;
let redis: RedisClient;
const procs: Proc[] = [];

before(async () => {
  cluster = await startTestRedisCluster(3);
  smsc = new DevSmsc({ logger: silentLogger(), receiptDelayMs: 5, faults: { respondDelayMs: 2 } });
  dm = new DmStandIn({ secret: 'cluster-test-dm-secret-01', logger: silentLogger() });
  const port = await smsc.listen(0);
  await dm.listen(0);
  env = {
    REDIS_URL: cluster.url,
    REDIS_CLUSTER_NODES: cluster.env,
    SMPP_URL: `smpp://bootline:devpass@127.0.0.1:${port}`,
    TWILIO_AUTH_TOKEN: TOKEN,
    PUBLIC_BASE_URL: BASE,
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: TEST_KEY.toString('hex'),
    DM_REGISTER_URL: dm.url,
    DM_REGISTER_SECRET: 'cluster-test-dm-secret-01',
    LOG_LEVEL: 'info',
    FLOWS_RELOAD: 'off',
    // The dead worker's jobs come back after 1 s (a busy worker may lose its lock: the submit lease keeps runs apart); the SMSC's total rate is shared by both workers.
    WORKER_LOCK_MS: '1000',
    WORKER_MAX_STALLED: '1000',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    SMPP_RESPONSE_TIMEOUT_MS: '2000',
    SMPP_TOTAL_TPS: String(TOTAL_TPS),
    // 200 calls to one number range in a minute is exactly what the default rate limits stop;
    // they stay on (checked on every call) with room for the load.
    LIMITS_CODES: 'caller=1000000/1h,destination=1000000/1h,prefix=1000000/1h,country=1000000/1h,global=1000000/1h',
    LIMITS_BOOTSTRAPS:
      'caller=1000000/1h,destination=1000000/1h,prefix=1000000/1h,country=1000000/1h,global=1000000/1h',
  };
  redis = createRedis({ redisUrl: cluster.url, redisClusterNodes: cluster.nodes }, 'fast');
});
after(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  redis.disconnect();
  await smsc.close();
  await dm.close();
  await cluster.stop();
});

/** One caller: attested caller ID (no code) for most, the SMS code for every tenth. */
async function call(transport: ReturnType<typeof roundRobinTransport>, i: number): Promise<string> {
  const national = `07400${String(900_000 + i)}`;
  const e164 = `+44${national.slice(1)}`;
  const otp = i % 10 === 0;
  const sim = new CallSimulator({
    transport,
    baseUrl: BASE,
    authToken: TOKEN,
    from: e164,
    pauseMs: (s) => s * 100,
    inbox: devSmscInbox(smsc),
    ...(otp ? {} : { extra: { StirVerstat: 'TN-Validation-Passed-A' } }),
  });
  await sim.dial();
  await sim.press('1');
  await sim.press(national);
  const sent = await sim.press('1');
  if (otp) {
    assert.match(sent.says[0] ?? '', /6-digit code/);
    await sim.press(await sim.waitForCode({ to: e164, timeoutMs: 60_000 }));
  }
  // The PIN, then held (polling the status) until the push is delivered, then the menu.
  const menu = sim.turn!;
  assert.ok(
    menu.gather && menu.says.some((s) => /settings (have been sent|are on their way)/.test(s)),
    `${i}: ${menu.says.join(' | ')}`,
  );
  const bye = await sim.press('2');
  assert.ok(bye.hungUp && bye.says.includes('Thank you for calling. Goodbye.'), `${i}: ${bye.says.join(' | ')}`);
  assert.equal(await sim.hangup(), 204);
  return sim.callSid;
}

test(`Redis Cluster, 2 web + 2 workers, ${CALLS} calls, one worker SIGKILLed: ${CALLS} pushes, 0 duplicates`, {
  timeout: 240_000,
}, async () => {
  const ports = [await freePort(), await freePort()];
  const webs = ports.map((p) => runNode('src/main/web.js', { ...env, PORT: String(p) }));
  procs.push(...webs);
  for (const w of webs) await w.waitFor(/web listening/, 30_000);
  const started = Date.now();
  const workers = [runNode('src/main/worker.js', env), runNode('src/main/worker.js', env)];
  procs.push(...workers);
  for (const w of workers) await w.waitFor(/smpp bound/, 30_000);

  const transport = roundRobinTransport(BASE, ports);
  const sids: string[] = [];
  const calls = runPool(CALLS, PARALLEL, async (i) => {
    sids[i] = await call(transport, i);
  });

  // Mid-run: both workers have pushed, a third of the pushes are complete; then SIGKILL one.
  await waitFor(
    'both workers pushing',
    () => completeNumbers(smsc).size >= KILL_AFTER && workers.every((w) => /bootstrap submitted/.test(w.out())),
    120_000,
  );
  const atKill = completeNumbers(smsc).size;
  workers[0]!.child.kill('SIGKILL');
  await workers[0]!.exit();

  const errors = await calls;
  assert.deepEqual(
    errors.map((e) => e.message),
    [],
    'every call reached the goodbye',
  );
  assert.ok(atKill < CALLS, `the kill landed mid-run (${atKill}/${CALLS} complete)`);

  // Exactly once in the store: one bootstrap per call, delivered, first round, registered once.
  const store = new BootstrapStore(redis, TEST_KEY);
  const records = await Promise.all(sids.map((sid) => store.get(`bs-${sid}`)));
  const notDelivered = records
    .map((r, i) => (r?.status === 'delivered' && r.round === 1 ? null : `${i}:${r?.status}`))
    .filter(Boolean);
  assert.deepEqual(notDelivered, [], 'every bootstrap delivered, in its first round');
  const perNumber = await Promise.all(records.map((r) => store.idsForMsisdn(r!.msisdn)));
  assert.ok(
    perNumber.every((ids) => ids.length === 1),
    'one bootstrap per number',
  );
  assert.equal(dm.registrations.size, CALLS, 'each device registered with the DM server once');
  const queue = new Queue(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: redis });
  const counts = await queue.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
  const stalled = (await queue.getJobs(['completed']))
    .filter((j) => j.stalledCounter > 0)
    .map((j) => `${j.id}×${j.stalledCounter}`);
  await queue.close();
  assert.deepEqual(
    counts,
    { completed: CALLS, failed: 0, wait: 0, active: 0, delayed: 0 },
    'no push job failed (throttling is a rate limit)',
  );

  // At the SMSC, a push is (destination, concatenation reference) with every segment: each of
  // the 200 numbers got exactly one. A segment whose submit_sm_resp died with the worker is
  // re-sent by the next run (SMPP has no idempotency key); the handset drops it as a repeat of
  // the same reference and sequence, so it is counted apart and bounded by what was in flight.
  assert.equal(completeNumbers(smsc).size, CALLS, `${CALLS} pushes complete at the SMSC`);
  const pushes = new Map<string, Set<string>>();
  const bySegment = submitsBySegment(smsc);
  for (const key of bySegment.keys()) {
    const [dest, ref] = key.split('/');
    pushes.set(dest!, (pushes.get(dest!) ?? new Set()).add(ref!));
  }
  assert.deepEqual(
    [...pushes.values()].filter((refs) => refs.size !== 1),
    [],
    '0 duplicate pushes: one concatenation reference per number',
  );
  const resent = [...bySegment.values()].reduce((n, ids) => n + ids.length - 1, 0);
  const recordedResent: string[] = [];
  for (const [key, ids] of bySegment) {
    if (ids.length < 2) continue;
    const known = await Promise.all(ids.slice(0, -1).map((id) => store.smscRef(id)));
    if (known.some((k) => k !== null)) recordedResent.push(key);
  }
  assert.deepEqual(
    recordedResent,
    [],
    `no acknowledged segment was ever sent again (jobs re-run after a stall: ${stalled.join(' ')})`,
  );
  assert.ok(
    resent <= CONCURRENCY * 2,
    `segments re-sent after the kill ate their submit_sm_resp: ${resent} (at most in flight)`,
  );

  // SMPP_TOTAL_TPS held across both workers: by any instant, at most burst + tps·elapsed.
  const burst = Math.ceil(TOTAL_TPS / 20);
  assert.deepEqual(
    rateBoundViolations(
      smsc.received.map((r) => r.at.getTime()),
      started,
      TOTAL_TPS,
      burst,
    ),
    [],
    'total TPS never exceeded',
  );

  // The work really was spread: every master holds keys, both webs answered webhooks.
  for (const n of cluster.nodes) {
    const one = createRedis(`redis://${n.host}:${n.port}`, 'fast');
    assert.ok((await one.dbsize()) > 0, `master ${n.port} holds keys`);
    one.disconnect();
  }
  assert.ok(
    [...transport.perPort.values()].every((n) => n > CALLS),
    `both webs served webhooks: ${[...transport.perPort.values()]}`,
  );

  for (const p of [...webs, workers[1]!]) p.child.kill('SIGTERM');
  for (const p of [...webs, workers[1]!]) assert.equal((await p.exit(20_000)).code, 0, p.out().slice(-2000));
  process.stdout.write(
    `# cluster test: ${CALLS} calls, kill at ${atKill} complete, ${smsc.received.length} submits, ${resent} segment re-sends, webhooks per web ${[...transport.perPort.values()]}\n`,
  );
});
