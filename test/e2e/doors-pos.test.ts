import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { hashToken } from '../../src/platform/http/auth.js';
import { pushAt } from '../helpers/door-push.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_LIMITS, waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The point-of-sale API end to end: a clerk's POST /api/bootstraps reaches the dev SMSC as a
// USERPIN-signed push whose MAC verifies with the PIN the API handed back, once per
// Idempotency-Key, with its origin in the status API and its own token only seeing its own.
const POS = 'pos-token-shop-one-0123456789';
const POS2 = 'pos-token-shop-two-0123456789';
const OPERATOR = 'operator-token-doors-0123456789';
const READER = 'read-only-token-doors-0123456789';
const tokens = [
  { role: 'pos' as const, sha256: hashToken(POS) },
  { role: 'pos' as const, sha256: hashToken(POS2) },
  { role: 'operator' as const, sha256: hashToken(OPERATOR) },
  { role: 'read-only' as const, sha256: hashToken(READER) },
];

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let tight: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-pos}', doors: { tokens } });
  tight = webStack(redis.url, {
    prefix: '{t-pos-tight}',
    doors: { tokens },
    limits: { ...TEST_LIMITS, bootstrap: { ...TEST_LIMITS.bootstrap, destination: { points: 1, seconds: 3600 } } },
  });
  worker = await workerStack(redis.url, { prefix: '{t-pos}' });
  await web.ready();
  await tight.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await tight.close();
  await redis.stop();
});

const post = (stack: WebStack, token: string, body: object, key?: string) => {
  const r = request(stack.app).post('/api/bootstraps').set('Authorization', `Bearer ${token}`);
  return (key ? r.set('Idempotency-Key', key) : r).send(body);
};

test('a clerk gets the PIN once; the push at the SMSC is signed with it and read by libwbxml', async () => {
  const res = await post(web, POS, { msisdn: '+447400100001', reference: 'sale-0001', imei: '35693803564380' });
  assert.equal(res.status, 202, res.text);
  assert.match(res.body.id, /^bs-pos-/);
  assert.equal(res.body.state, 'queued');
  assert.match(res.body.pin, /^\d{6}$/);
  assert.equal(res.headers.location, `/api/bootstraps/${res.body.id}`);
  await waitFor('delivered', async () => (await web.store.status(res.body.id)) === 'delivered');
  const { segments } = pushAt(worker.smsc, '+447400100001', { pin: res.body.pin });
  assert.ok(segments >= 2);

  const status = await request(web.app).get(res.headers.location!).set('Authorization', `Bearer ${POS}`);
  assert.equal(status.status, 200);
  assert.equal(status.body.status, 'delivered');
  assert.equal(status.body.to, '+44*******001');
  assert.equal(status.body.origin.door, 'pos');
  assert.match(status.body.origin.by, /^pos [0-9a-f]{12}$/);
  assert.equal(status.body.origin.reference, 'sale-0001');
  assert.equal(status.body.tac, '35693803', 'the TAC, not the IMEI');
  assert.ok(!JSON.stringify(status.body).includes(res.body.pin), 'the status never shows the PIN');
  assert.ok(!JSON.stringify(status.body).includes('35693803564380'));

  const other = await request(web.app).get(res.headers.location!).set('Authorization', `Bearer ${POS2}`);
  assert.equal(other.status, 404, 'another shop does not see it');
  const op = await request(web.app).get(res.headers.location!).set('Authorization', `Bearer ${OPERATOR}`);
  assert.equal(op.body.origin.by, status.body.origin.by, 'operators see every origin');
});

test('Idempotency-Key: same key, same answer, one push; the key with another body is refused', async () => {
  const body = { msisdn: '+447400100002', reference: 'sale-0002' };
  const [a, b] = await Promise.all([post(web, POS, body, 'till-7-sale-2'), post(web, POS, body, 'till-7-sale-2')]);
  assert.equal(a.status, 202, a.text);
  assert.equal(b.status, 202, b.text);
  assert.deepEqual(a.body, b.body, 'the same answer, PIN included');
  const c = await post(web, POS, { reference: 'sale-0002', msisdn: '+447400100002' }, 'till-7-sale-2');
  assert.deepEqual(c.body, a.body, 'key order in the body does not matter');
  assert.equal(c.headers['idempotent-replayed'], 'true');
  await waitFor('delivered', async () => (await web.store.status(a.body.id)) === 'delivered');
  pushAt(worker.smsc, '+447400100002', { pin: a.body.pin }); // asserts one concatenation reference: one push

  const reused = await post(web, POS, { msisdn: '+447400100003' }, 'till-7-sale-2');
  assert.equal(reused.status, 422);
  assert.equal(reused.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
  const otherShop = await post(web, POS2, body, 'till-7-sale-2');
  assert.equal(otherShop.status, 202, 'keys are per token');
  assert.notEqual(otherShop.body.id, a.body.id);
});

test('bad requests get a reason; nothing is queued for them', async () => {
  const before = await web.queue.count();
  const cases: Array<[object, number, string]> = [
    [{ msisdn: '07400100004' }, 400, 'BAD_REQUEST'],
    [{ msisdn: '+447400100004', colour: 'red' }, 400, 'BAD_REQUEST'],
    [{ msisdn: '+447400100004', sec: 'NETWPIN' }, 422, 'BOOTSTRAP_OPTION_UNSUPPORTED'],
    // The DM profile's account is bound to the device: it needs the IMEI.
    [{ msisdn: '+447400100004', profile: 'dm' }, 400, 'BAD_REQUEST'],
    [{ msisdn: '+14155550100' }, 403, 'DESTINATION_REFUSED'],
  ];
  for (const [body, status, code] of cases) {
    const res = await post(web, POS, body);
    assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error.code, code);
  }
  assert.equal((await request(web.app).post('/api/bootstraps').send({ msisdn: '+447400100004' })).status, 401);
  assert.equal((await post(web, READER, { msisdn: '+447400100004' })).status, 403, 'read-only may not push');
  assert.equal(await web.queue.count(), before);
});

test('the same limits as the hotline: a second push to one number is refused with Retry-After', async () => {
  const first = await post(tight, POS, { msisdn: '+447400100005' });
  assert.equal(first.status, 202);
  const second = await post(tight, POS, { msisdn: '+447400100005' });
  assert.equal(second.status, 429);
  assert.equal(second.body.error.code, 'RATE_LIMITED');
  assert.ok(Number(second.headers['retry-after']) > 0);
});

test('the OpenAPI document describes the POS and batch routes', async () => {
  const res = await request(web.app).get('/api/openapi.json');
  assert.equal(res.status, 200);
  for (const p of ['/api/bootstraps', '/api/bootstraps/{id}', '/api/batches', '/api/batches/{id}'])
    assert.ok(res.body.paths?.[p], `${p} described`);
});
