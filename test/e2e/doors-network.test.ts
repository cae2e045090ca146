import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { DEFAULT_SECURITY } from '../../src/config/security.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { SubscriberStandIn } from '../../src/dev/subscriber-lookup.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { DEFAULT_NETWORK_POLICY, NETWORK_EVENT_TYPES } from '../../src/policy/network-events.js';
import { httpSubscriberLookup } from '../../src/subscriber/lookup.js';
import { pushAt } from '../helpers/door-push.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// Network events end to end: CAMARA Device Swap / SIM Swap notifications and the first-attach
// trigger as CloudEvents in structured mode, authenticated with the sink's bearer token; a
// device swap becomes a NETWPIN push at the dev SMSC whose MAC verifies with the IMSI the
// subscriber stand-in holds; a SIM swap blocks every door (POS, the hotline, the network).
const SINK_TOKEN = 'network-sink-token-0123456789';
const POS = 'pos-token-network-tests-0123';
const LOOKUP_SECRET = 'subscriber-lookup-secret-0123';
const tokens = [{ role: 'pos' as const, sha256: hashToken(POS) }];

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let off: WebStack;
let worker: WorkerStack;
let subscribers: SubscriberStandIn;

before(async () => {
  redis = await startTestRedis();
  subscribers = new SubscriberStandIn({ secret: LOOKUP_SECRET });
  const url = await subscribers.listen(0);
  web = webStack(redis.url, {
    prefix: '{t-net}',
    env: { SUBSCRIBER_LOOKUP_URL: url, SUBSCRIBER_LOOKUP_SECRET: LOOKUP_SECRET },
    doors: {
      tokens,
      pushSecurity: 'NETWPIN',
      config: { network: { token: SINK_TOKEN, policy: DEFAULT_NETWORK_POLICY } },
    },
  });
  off = webStack(redis.url, { prefix: '{t-net-off}', doors: { tokens } });
  worker = await workerStack(redis.url, {
    prefix: '{t-net}',
    config: {
      security: { ...DEFAULT_SECURITY, pushSecurity: 'NETWPIN', subscriberLookup: { url, secret: LOOKUP_SECRET } },
    },
    subscribers: httpSubscriberLookup({ url, secret: LOOKUP_SECRET }),
  });
  await web.ready();
  await off.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await off.close();
  await subscribers.close();
  await redis.stop();
});

let seq = 0;
const event = (type: string, data: object, over: object = {}) => ({
  specversion: '1.0',
  id: `evt-${++seq}`,
  source: 'https://notifications.operator.example/device-swap',
  type,
  time: '2026-12-01T10:00:00Z',
  datacontenttype: 'application/json',
  data,
  ...over,
});
const send = (body: object | string, o: { token?: string | null; type?: string; stack?: WebStack } = {}) => {
  const r = request((o.stack ?? web).app)
    .post('/events/network')
    .set('Content-Type', o.type ?? 'application/cloudevents+json');
  if (o.token !== null) r.set('Authorization', `Bearer ${o.token ?? SINK_TOKEN}`);
  return r.send(typeof body === 'string' ? body : JSON.stringify(body));
};

test('a device swap queues a NETWPIN push; the SMSC gets it signed with the IMSI; a repeat is 200, no second push', async () => {
  const e = event(NETWORK_EVENT_TYPES.deviceSwap, { phoneNumber: '+447400200001', subscriptionId: 'sub-1' });
  const res = await send(e);
  assert.equal(res.status, 202, res.text);
  assert.equal(res.body.action, 'bootstrap');
  assert.equal(res.body.id, e.id);
  const id = res.body.bootstrapId as string;
  await waitFor('delivered', async () => (await web.store.status(id)) === 'delivered');
  pushAt(worker.smsc, '+447400200001', { imsi: subscribers.testImsi('+447400200001') });
  const lookups = subscribers.requests;

  const again = await send(e);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  assert.equal(again.body.bootstrapId, id);
  const status = await web.doors!.intake.status(id);
  assert.equal(status?.origin?.door, 'network');
  assert.match(status?.origin?.by ?? '', /^event evt-\d+ \(https:\/\/notifications\.operator\.example/);
  assert.equal(status?.sec, 'NETWPIN');
  await new Promise((r) => setTimeout(r, 300));
  pushAt(worker.smsc, '+447400200001', { imsi: subscribers.testImsi('+447400200001') }); // still one push
  assert.equal(subscribers.requests, lookups, 'no second lookup: nothing was pushed again');
});

test('device attached with an IMEI: a push, and the TAC on its record', async () => {
  const res = await send(
    event(NETWORK_EVENT_TYPES.deviceAttached, { phoneNumber: '+447400200002', imei: '35693803564380' }),
  );
  assert.equal(res.status, 202, res.text);
  const status = await web.doors!.intake.status(res.body.bootstrapId);
  assert.equal(status?.tac, '35693803');
  await waitFor('delivered', async () => (await web.store.status(res.body.bootstrapId)) === 'delivered');
});

test('a SIM swap queues nothing and blocks the number at every door for the window', async () => {
  const n = '+447400200003';
  const swap = await send(event(NETWORK_EVENT_TYPES.simSwap, { phoneNumber: n, subscriptionId: 'sub-2' }));
  assert.equal(swap.status, 202, swap.text);
  assert.equal(swap.body.action, 'block');
  assert.ok(Date.parse(swap.body.until) > Date.now() + 23 * 3600_000, 'blocked for the default 24 h');

  const pos = await request(web.app).post('/api/bootstraps').set('Authorization', `Bearer ${POS}`).send({ msisdn: n });
  assert.equal(pos.status, 403);
  assert.equal(pos.body.error.code, 'NUMBER_BLOCKED');
  const device = await send(event(NETWORK_EVENT_TYPES.deviceSwap, { phoneNumber: n }));
  assert.equal(device.status, 403);
  assert.equal(device.body.error.code, 'NUMBER_BLOCKED');

  // The hotline: the caller gets as far as the push, which is refused; the flow's error route takes over.
  const sim = web.sim({ from: '+447400999001', inbox: devSmscInbox(worker.smsc) });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400200003');
  await sim.press('1');
  const t = await sim.press(await sim.waitForCode({ to: n }));
  assert.ok(
    t.says.some((s) => /something went wrong/.test(s)),
    t.says.join(' | '),
  );
  assert.equal(await web.store.status(`bs-${sim.callSid}`), null, 'no bootstrap for the call');
  assert.equal(worker.smsc.received.filter((r) => r.destinationAddr === n.slice(1) && !r.text).length, 0);
});

test('401 without the token; 415 and 400 for what is not one valid structured CloudEvent', async () => {
  const ok = event(NETWORK_EVENT_TYPES.deviceSwap, { phoneNumber: '+447400200004' });
  assert.equal((await send(ok, { token: null })).status, 401);
  assert.equal((await send(ok, { token: 'wrong-token-0123456789' })).status, 401);
  assert.equal((await send(ok, { type: 'application/json' })).status, 415);
  assert.equal((await send(ok, { type: 'text/plain' })).status, 415);
  const bad: Array<[object | string, RegExp]> = [
    ['{"specversion":', /not JSON/],
    [[ok], /one JSON object/],
    [{ ...ok, id: undefined }, /"id"/],
    [{ ...ok, source: '' }, /"source"/],
    [{ ...ok, specversion: '0.3' }, /specversion/],
    [{ ...ok, time: 'yesterday' }, /date-time/],
    [{ ...ok, data: { phoneNumber: '07400200004' } }, /phoneNumber/],
    [{ ...ok, data: { phoneNumber: '+447400200004', imei: '12' } }, /imei/],
  ];
  for (const [body, why] of bad) {
    const res = await send(body);
    assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error.code, 'EVENT_INVALID');
    assert.match(res.body.error.message, why);
  }
  const ends = await send(
    event('org.camaraproject.device-swap-subscriptions.v0.subscription-ends', {
      subscriptionId: 'sub-1',
      terminationReason: 'SUBSCRIPTION_EXPIRED',
    }),
  );
  assert.equal(ends.status, 202);
  assert.equal(ends.body.action, 'ignore');
});

test('no token configured: the route is off', async () => {
  const res = await send(event(NETWORK_EVENT_TYPES.deviceSwap, { phoneNumber: '+447400200005' }), { stack: off });
  assert.equal(res.status, 404);
});
