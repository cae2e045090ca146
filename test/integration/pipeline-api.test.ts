import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app/http.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { startTestRedis } from '../helpers/redis.js';
import { testConfig, waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { enqueuePushes, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

const PREFIX = '{t-api}';
const TOKENS = {
  operator: 'op-token-0123456789',
  agent: 'agent-token-0123456789',
  'read-only': 'ro-token-0123456789',
} as const;
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let stack: WorkerStack;
let app: Express;
let queues: Queue[];
let conn: ReturnType<typeof createRedis>;
const bearer = (role: keyof typeof TOKENS) => ({ Authorization: `Bearer ${TOKENS[role]}` });

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: PREFIX });
  stack = await workerStack(redis.url, { prefix: PREFIX, smsc: { receiptDelayMs: 5 } });
  conn = createRedis(redis.url, 'fast');
  queues = [
    web.queue,
    new Queue(QUEUES.dmRegister.name, { prefix: PREFIX, connection: conn }),
    new Queue(QUEUES.textSms.name, { prefix: PREFIX, connection: conn }),
  ];
  const tokens = Object.entries(TOKENS).map(([role, t]) => ({
    role: role as keyof typeof TOKENS,
    sha256: hashToken(t),
  }));
  app = createApp({
    config: testConfig(redis.url),
    logger: silentLogger(),
    readiness: async () => ({}),
    api: { tokens, store: web.store, bootstrapQueue: web.queue as Queue<BootstrapJobData>, queues },
  });
});
after(async () => {
  await stack.close();
  await Promise.all(queues.slice(1).map((q) => q.close()));
  conn.disconnect();
  await web.close();
  await redis.stop();
});

const push = (nums: string[], tag: string) => enqueuePushes(web.queue, web.store, nums, tag);

test('no token → 401 with a challenge; unknown token → 401; read-only may not retry → 403', async () => {
  const none = await request(app).get('/api/bootstraps/bs-x');
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'API_UNAUTHORIZED');
  assert.match(none.headers['www-authenticate']!, /^Bearer/);
  assert.equal((await request(app).get('/api/bootstraps/bs-x').set({ Authorization: 'Bearer nope' })).status, 401);
  const ro = await request(app).post('/api/bootstraps/bs-x/retry').set(bearer('read-only'));
  assert.equal(ro.status, 403);
  assert.equal(ro.body.error.code, 'API_FORBIDDEN');
  assert.equal((await request(app).get('/api/bootstraps/bs-nosuch').set(bearer('read-only'))).status, 404);
});

test('status by id and by number: state, timestamps, segments, SMSC ids — never the PIN or credentials', async () => {
  const [first] = await push(['+447400200001'], 'a1');
  await waitFor('delivered', async () => (await web.store.status(first!)) === 'delivered');
  const [second] = await push(['+447400200001'], 'a2');
  await waitFor('delivered', async () => (await web.store.status(second!)) === 'delivered');
  const res = await request(app).get(`/api/bootstraps/${first}`).set(bearer('read-only'));
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'delivered');
  assert.equal(res.body.to, '+44*******001');
  assert.equal(res.body.segmentCount, res.body.segments.length);
  assert.ok(
    res.body.segments.every(
      (s: { smscId: string; receipt: { state: string } }) => s.smscId && s.receipt.state === 'DELIVRD',
    ),
  );
  for (const k of ['createdAt', 'queuedAt', 'registeredAt', 'submittedAt', 'deliveredAt'])
    assert.ok(res.body.timestamps[k], k);
  const secrets = stack.dm.registrations.get(first!)!.appAuth.flatMap((a) => [a.AAUTHSECRET, a.AAUTHDATA]);
  for (const secret of [...secrets, '123456', '447400200001'])
    assert.ok(!res.text.includes(secret), 'no secret or full number in the answer');
  const byNumber = await request(app).get('/api/bootstraps').query({ msisdn: '+447400200001' }).set(bearer('agent'));
  assert.deepEqual(
    byNumber.body.bootstraps.map((b: { id: string }) => b.id),
    [second, first],
    'newest first',
  );
  assert.equal(
    (await request(app).get('/api/bootstraps').query({ msisdn: '07400200001' }).set(bearer('agent'))).status,
    400,
  );
});

test('retry: a failed bootstrap goes again in a new round; a delivered one cannot', async () => {
  stack.smsc.setFaults({ receiptDelayMs: 5, receiptState: 'UNDELIV' });
  const [id] = await push(['+447400200002'], 'r1');
  await waitFor('failed', async () => (await web.store.status(id!)) === 'failed');
  const before = (await web.store.get(id!))!.smscIds!;
  stack.smsc.setFaults({ receiptDelayMs: 5 });
  const res = await request(app).post(`/api/bootstraps/${id}/retry`).set(bearer('agent'));
  assert.equal(res.status, 202);
  assert.deepEqual(res.body, { id, status: 'queued', round: 2 });
  await waitFor('delivered', async () => (await web.store.status(id!)) === 'delivered');
  const after = (await web.store.get(id!))!;
  assert.equal(after.round, 2);
  assert.equal(after.smscIds!.filter((m) => before.includes(m)).length, 0, 'all segments sent again');
  const again = await request(app).post(`/api/bootstraps/${id}/retry`).set(bearer('operator'));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'BOOTSTRAP_NOT_RETRYABLE');
});

test('dead-letter view lists the permanently failed push', async () => {
  stack.smsc.setFaults({ receiptDelayMs: 5, reject: { '447400200099': 0x0b } });
  const [id] = await push(['+447400200099'], 'd1');
  await waitFor('failed', async () => (await web.store.status(id!)) === 'failed');
  await waitFor('job failed', async () => (await web.queue.getJob(id!))?.failedReason);
  const res = await request(app).get('/api/dead-letter').set(bearer('read-only'));
  const q = res.body.queues.find((x: { queue: string }) => x.queue === QUEUES.bootstrap.name);
  const job = q.jobs.find((j: { id: string }) => j.id === id);
  assert.equal(job.bootstrapId, id);
  assert.match(job.failedReason, /SMPP_REJECTED/);
});

test('dashboard: behind the same tokens (Basic for browsers); read-only board for non-operators', async () => {
  const anon = await request(app).get('/admin/queues');
  assert.equal(anon.status, 401);
  assert.match(anon.headers['www-authenticate']!, /^Basic/);
  const basic = (t: string) => ({ Authorization: `Basic ${Buffer.from(`x:${t}`).toString('base64')}` });
  const page = await request(app).get('/admin/queues').set(basic(TOKENS.operator));
  assert.equal(page.status, 200);
  assert.match(page.text, /<html/i);
  const mode = async (t: string) =>
    (await request(app).get('/admin/queues/api/queues').set(basic(t))).body.queues.map(
      (q: { readOnlyMode: boolean }) => q.readOnlyMode,
    );
  assert.deepEqual(await mode(TOKENS.operator), [false, false, false]);
  assert.deepEqual(await mode(TOKENS.agent), [true, true, true]);
});
