import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { Config } from '../../src/config/config.js';
import { requestBootstrap } from '../../src/deliveries/intake.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { EventSink } from '../helpers/event-sink.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The outbound event stream: CloudEvents 1.0 over HTTP, signed, filtered per door and per
// reference, each state change delivered once per subscriber, refusals as dead letters.
const PREFIX = '{t-events}';
const SECRET = 'events-subscriber-secret-0';
const OPERATOR = 'operator-token-events-00000';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let stack: WorkerStack;
const pos = new EventSink(SECRET);
const all = new EventSink(SECRET);
const picky = new EventSink(SECRET);

before(async () => {
  redis = await startTestRedis();
  const subscribers = [
    { name: 'pos-acme', url: await pos.listen(), secret: SECRET, doors: ['pos'], references: ['acme-*'] },
    { name: 'all', url: await all.listen(), secret: SECRET, mode: 'binary' },
    { name: 'picky', url: await picky.listen(), secret: SECRET, doors: ['batch'] },
  ];
  web = webStack(redis.url, {
    prefix: PREFIX,
    env: { EVENT_SUBSCRIBERS: JSON.stringify(subscribers), API_TOKENS: `operator:${hashToken(OPERATOR)}` },
  });
  const lifecycle: Config['lifecycle'] = web.config.lifecycle;
  stack = await workerStack(redis.url, { prefix: PREFIX, config: { lifecycle } });
  await web.ready();
});
after(async () => {
  await web.close();
  await stack.close();
  await Promise.all([pos.close(), all.close(), picky.close()]);
  await redis.stop();
});

const intake = () => ({
  store: web.store,
  queue: web.queue,
  followUp: web.web.lifecycle.followUp,
  defaults: { sec: 'USERPIN' as const, profile: 'cp' as const, pinLength: 6 },
});
const STATES = ['queued', 'submitted', 'delivered'].map((s) => `org.bootline.bootstrap.${s}`);

test('each state change reaches the subscribers that hear its door and reference, once, as a signed CloudEvent', async () => {
  await requestBootstrap(intake(), {
    id: 'acme-sale-1',
    msisdn: '+447400900001',
    origin: { door: 'pos', by: 'clerk-3', reference: 'acme-1' },
  });
  await requestBootstrap(intake(), { id: 'web-1', msisdn: '+447400900002', origin: { door: 'web', by: 'page' } });
  await waitFor('acme events', () => pos.types('acme-sale-1').length >= 3, 20_000);
  await waitFor('all events', () => all.types('web-1').length >= 3 && all.types('acme-sale-1').length >= 3, 20_000);
  assert.deepEqual(pos.types('acme-sale-1'), STATES, 'in order: queued, submitted, delivered');
  assert.deepEqual(pos.types('web-1'), [], 'the POS subscriber hears only its own door and references');
  assert.deepEqual(all.types('web-1').sort(), [...STATES].sort());
  assert.deepEqual(picky.events, [], 'a subscriber of another door hears nothing');
  for (const sink of [pos, all]) {
    assert.ok(
      sink.events.every((e) => e.signed),
      'every delivery signed',
    );
    assert.ok(
      [...sink.counts().values()].every((n) => n === 1),
      'each event accepted once',
    );
  }
  const delivered = pos.events.find((e) => e.event.type.endsWith('.delivered'))!.event;
  assert.equal(delivered.specversion, '1.0');
  assert.equal(delivered.source, web.config.publicBaseUrl);
  assert.equal(delivered.subject, 'acme-sale-1');
  assert.match(delivered.id, /^acme-sale-1-\d+$/);
  const data = delivered.data as { event: { event: string; seq: number }; bootstrap: { to: string; origin: object } };
  assert.equal(data.event.event, 'delivered');
  assert.equal(delivered.id, `acme-sale-1-${data.event.seq}`);
  assert.equal(data.bootstrap.to, '+44*******001', 'never the number in clear');
  assert.deepEqual(data.bootstrap.origin, { door: 'pos', by: 'clerk-3', reference: 'acme-1' });
  assert.ok(!JSON.stringify(pos.events).includes('7400900001'));
  assert.equal(await web.web.lifecycle.publisher.publishPending('acme-sale-1'), 0, 'nothing left to publish');
});

test('a subscriber that refuses an event: retried only for 5xx/408/429; a 4xx is a dead letter', async () => {
  let tries = 0;
  picky.answer = (e) => (e.type.endsWith('.queued') ? (++tries === 1 ? 503 : 400) : 204);
  await requestBootstrap(intake(), { id: 'batch-7-1', msisdn: '+447400900003', origin: { door: 'batch', by: 'b7#1' } });
  await waitFor('delivered', () => picky.types('batch-7-1').includes('org.bootline.bootstrap.delivered'), 20_000);
  const dead = await waitFor(
    'dead letter',
    async () => {
      const res = await request(web.app).get('/api/dead-letter').set('authorization', `Bearer ${OPERATOR}`);
      const q = res.body.queues.find((x: { queue: string }) => x.queue === 'events');
      return q?.jobs.find((j: { bootstrapId: string }) => j.bootstrapId === 'batch-7-1');
    },
    20_000,
  );
  // Timeline: requested (1), pin-issued (2: the intake made the PIN), queued (3).
  assert.equal(dead.id, 'evt-batch-7-1-3-picky');
  assert.match(dead.failedReason, /answered HTTP 400/);
  assert.equal(tries, 2, 'a 503, retried; then a 400, not retried');
  assert.ok(!picky.types('batch-7-1').includes('org.bootline.bootstrap.queued'));
});
