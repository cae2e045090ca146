import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Router } from 'express';
import request from 'supertest';
import { requestBootstrap } from '../../src/deliveries/intake.js';
import { DELIVERY_OPENAPI_PATHS } from '../../src/deliveries/http/openapi.js';
import { deliveryRoutes } from '../../src/deliveries/http/index.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/dm/signature.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { DM_SECRET, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The enrolment signal (POST /api/dm/sessions) as a DM server sends it: signed like the
// credential registrations, replay-protected, mapped from the client name to its bootstrap;
// and the enrolment window that ends a silent one as not-enrolled.
const PREFIX = '{t-dm-sessions}';
const OPERATOR = 'operator-token-dm-sessions-0';
const READER = 'readonly-token-dm-sessions-0';
const WINDOW_S = 2;
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let stack: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  stack = await workerStack(redis.url, {
    prefix: PREFIX,
    config: { lifecycle: { enrolmentWindowS: WINDOW_S, events: { source: null, subscribers: [] } } },
  });
  web = webStack(redis.url, {
    prefix: PREFIX,
    env: {
      DM_REGISTER_URL: stack.dm.url,
      DM_REGISTER_SECRET: DM_SECRET,
      API_TOKENS: `operator:${hashToken(OPERATOR)},read-only:${hashToken(READER)}`,
    },
  });
  await web.ready();
});
after(async () => {
  await web.close();
  await stack.close();
  await redis.stop();
});

async function delivered(id: string, msisdn: string): Promise<string> {
  await requestBootstrap(
    { store: web.store, queue: web.queue, defaults: { sec: 'USERPIN', profile: 'cp', pinLength: 6 } },
    { id, msisdn, origin: { door: 'web', by: 'test' }, pin: '1357' },
  );
  await waitFor(`${id} delivered`, async () => (await web.store.status(id)) === 'delivered', 20_000);
  return stack.dm.registrations.get(id)!.appAuth[0]!.AAUTHNAME;
}

function signal(body: object, o: { ts?: number; secret?: string; raw?: string } = {}) {
  const raw = o.raw ?? JSON.stringify(body);
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  return request(web.app)
    .post('/api/dm/sessions')
    .set('content-type', 'application/json')
    .set(TIMESTAMP_HEADER, String(ts))
    .set(SIGNATURE_HEADER, signBody(o.secret ?? DM_SECRET, ts, raw))
    .send(raw);
}

const SERVER = 'com.example.dm';

test('session-started enrols the bootstrap; the same signed request again is a replay; a new one is a no-op', async () => {
  const clientName = await delivered('web-dm-0001', '+447400800001');
  const body = { serverId: SERVER, clientName, event: 'session-started', at: new Date().toISOString() };
  const first = await signal(body);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, { bootstrapId: 'web-dm-0001', state: 'enrolled', changed: true });
  const replay = await request(web.app)
    .post('/api/dm/sessions')
    .set('content-type', 'application/json')
    .set(TIMESTAMP_HEADER, first.request.getHeader(TIMESTAMP_HEADER) as string)
    .set(SIGNATURE_HEADER, first.request.getHeader(SIGNATURE_HEADER) as string)
    .send(JSON.stringify(body));
  assert.equal(replay.status, 409);
  assert.equal(replay.body.error.code, 'SIGNATURE_REPLAYED');
  const later = await signal(body, { ts: Math.floor(Date.now() / 1000) + 1 });
  assert.deepEqual(later.body, { bootstrapId: 'web-dm-0001', state: 'enrolled', changed: false });
  const tl = await web.store.timeline('web-dm-0001');
  assert.equal(tl.filter((e) => e.event === 'enrolled').length, 1, 'enrolled once on the timeline');
  assert.equal(tl.at(-1)?.reportedAt, body.at);
  const view = await request(web.app).get('/api/bootstraps/web-dm-0001').set('authorization', `Bearer ${OPERATOR}`);
  assert.equal(view.body.status, 'enrolled');
  assert.equal(view.body.to, '+447400800001', 'an operator sees the number');
  assert.ok(view.body.timestamps.enrolledAt);
  assert.deepEqual(
    view.body.timeline.map((e: { event: string }) => e.event).filter((e: string) => !e.startsWith('segment-')),
    ['requested', 'queued', 'dm-registered', 'submitted', 'delivered', 'enrolled'],
  );
  const masked = await request(web.app).get('/api/bootstraps/web-dm-0001').set('authorization', `Bearer ${READER}`);
  assert.equal(masked.body.to, '+44*******001', 'other roles see it masked');
  assert.ok(!JSON.stringify(masked.body).includes('7400800001'));
});

test('auth-failed ends the bootstrap as failed with DM_AUTH_FAILED and the DM server cause', async () => {
  const clientName = await delivered('web-dm-0002', '+447400800002');
  const res = await signal({
    serverId: SERVER,
    clientName,
    event: 'auth-failed',
    at: new Date().toISOString(),
    cause: 'bad-digest',
  });
  assert.deepEqual(res.body, { bootstrapId: 'web-dm-0002', state: 'failed', changed: true });
  const view = await request(web.app).get('/api/bootstraps/web-dm-0002').set('authorization', `Bearer ${READER}`);
  assert.deepEqual(view.body.cause, { code: 'DM_AUTH_FAILED', detail: 'bad-digest' });
  assert.equal(view.body.timeline.at(-1).cause, 'DM_AUTH_FAILED');
});

test('refusals: bad signature, stale timestamp, unknown client, another server, malformed body', async () => {
  const clientName = await delivered('web-dm-0003', '+447400800003');
  const ok = { serverId: SERVER, clientName, event: 'session-started', at: new Date().toISOString() };
  const cases: Array<[request.Test, number, string]> = [
    [signal(ok, { secret: 'another-secret-of-16+' }), 401, 'SIGNATURE_INVALID'],
    [signal(ok, { ts: Math.floor(Date.now() / 1000) - 301 }), 401, 'SIGNATURE_INVALID'],
    [signal({ ...ok, clientName: 'bootline-0000000000000000' }), 404, 'BOOTSTRAP_NOT_FOUND'],
    [signal({ ...ok, serverId: 'other.dm' }), 400, 'BAD_REQUEST'],
    [signal({ ...ok, event: 'hello' }), 400, 'BAD_REQUEST'],
    [signal({ ...ok, extra: 1 }), 400, 'BAD_REQUEST'],
    [signal(ok, { raw: '{not json' }), 400, 'BAD_REQUEST'],
  ];
  for (const [req, status, code] of cases) {
    const res = await req;
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
  }
  assert.equal(await web.store.status('web-dm-0003'), 'delivered', 'nothing refused changed the bootstrap');
});

test('no session within the window: not-enrolled (NOT_ENROLLED_IN_TIME); a late session still enrols', async () => {
  const clientName = await delivered('web-dm-0004', '+447400800004');
  await waitFor('not-enrolled', async () => (await web.store.status('web-dm-0004')) === 'not-enrolled', 15_000);
  const rec = await web.store.get('web-dm-0004');
  assert.equal(rec?.cause, 'NOT_ENROLLED_IN_TIME');
  const late = await signal({ serverId: SERVER, clientName, event: 'session-started', at: new Date().toISOString() });
  assert.deepEqual(late.body, { bootstrapId: 'web-dm-0004', state: 'enrolled', changed: true });
  const events = (await web.store.timeline('web-dm-0004')).map((e) => e.event);
  assert.deepEqual(events.slice(-2), ['not-enrolled', 'enrolled']);
});

test('the served OpenAPI describes every delivery route and the DM session signal', async () => {
  const doc = await request(web.app).get('/api/openapi.json');
  assert.equal(doc.status, 200);
  const routes = (r: Router): string[] =>
    (
      r.stack as unknown as Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: Router }>
    ).flatMap((l) =>
      l.route
        ? Object.keys(l.route.methods).map((m) => `${m} /api${l.route!.path.replace(/:(\w+)/g, '{$1}')}`)
        : l.handle && 'stack' in l.handle
          ? routes(l.handle)
          : [],
    );
  const served = routes(
    deliveryRoutes({
      tokens: [],
      store: web.store,
      bootstrapQueue: web.queue,
      queues: [],
      dmSessions: {
        secret: 'x'.repeat(16),
        serverId: SERVER,
        store: web.store,
        redis: web.redis,
        logger: silentLogger(),
      },
    }),
  ).sort();
  const described = Object.entries(DELIVERY_OPENAPI_PATHS)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
    .sort();
  assert.deepEqual(served, described);
  for (const p of described) {
    const [m, path] = p.split(' ');
    assert.ok(doc.body.paths[path!]?.[m!], `served document has ${p}`);
  }
  assert.ok(doc.body.components.schemas.TimelineEvent);
});
