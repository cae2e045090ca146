import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reassemble } from '../../src/codec/sms/reassemble.js';
import { CONTENT_TYPE_DM } from '../../src/codec/wsp/tables.js';
import { openQueue, QUEUES } from '../../src/queues/catalogue.js';
import { requestBootstrap, type IntakeDeps } from '../../src/deliveries/intake.js';
import { isBootlineError } from '../../src/errors.js';
import { silentLogger } from '../../src/platform/logger.js';
import { parseWspPush, splitUdh } from '../helpers/push-bytes.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The intake every door calls: idempotent by id, the PIN generated and returned once, the
// first timeline events, and a worker that builds what the record says (not what config says).
const PREFIX = '{t-intake}';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let stack: WorkerStack;
let deps: IntakeDeps;

before(async () => {
  redis = await startTestRedis();
  stack = await workerStack(redis.url, { prefix: PREFIX });
  const queue = openQueue(QUEUES.bootstrap, { prefix: PREFIX, connection: stack.redis, logger: silentLogger() });
  deps = { store: stack.store, queue, defaults: { sec: 'USERPIN', profile: 'cp', pinLength: 6 } };
});
after(async () => {
  await deps.queue.close();
  await stack.close();
  await redis.stop();
});

const pos = { door: 'pos', by: 'clerk-7', reference: 'sale-1001' } as const;

test('a POS request: PIN generated and returned once, origin and choices recorded, seeded timeline', async () => {
  const req = {
    id: 'pos-idem-0001',
    msisdn: '+447400700001',
    origin: pos,
    imei: '490154203237518',
    timeline: [{ event: 'verified', at: '2026-12-07T10:00:00.000Z', detail: 'id checked' }] as const,
  };
  const first = await requestBootstrap(deps, req);
  assert.equal(first.created, true);
  assert.equal(first.state, 'queued');
  assert.match(first.pin ?? '', /^\d{6}$/, 'a 6-digit PIN, returned to the door once');
  const again = await requestBootstrap(deps, req);
  assert.deepEqual(again, { id: req.id, created: false, state: again.state }, 'a repeat: same id, no PIN');
  assert.equal((await deps.queue.getJob(req.id))?.id, req.id, 'one push job, named by the bootstrap');
  const rec = await deps.store.get(req.id);
  assert.deepEqual(rec?.origin, pos);
  assert.equal(rec?.sec, 'USERPIN');
  assert.equal(rec?.profile, 'cp');
  assert.equal(rec?.tac, '49015420', 'the TAC in clear; the full IMEI only sealed');
  assert.ok(!JSON.stringify(rec).includes('490154203237518'));
  const tl = await deps.store.timeline(req.id);
  assert.deepEqual(
    tl.slice(0, 4).map((e) => [e.seq, e.event]),
    [
      [1, 'requested'],
      [2, 'verified'],
      [3, 'pin-issued'],
      [4, 'queued'],
    ],
  );
  assert.equal(tl[0]?.door, 'pos');
  assert.equal(tl[0]?.reference, 'sale-1001');
  assert.equal(tl[1]?.at, '2026-12-07T10:00:00.000Z');
  await waitFor('delivered', async () => (await deps.store.status(req.id)) === 'delivered', 20_000);
  const events = (await deps.store.timeline(req.id)).map((e) => e.event);
  for (const e of ['dm-registered', 'segment-submitted', 'submitted', 'segment-delivered', 'delivered'])
    assert.ok(events.includes(e as never), `timeline has ${e}`);
  assert.ok(
    events.indexOf('dm-registered') < events.indexOf('segment-submitted'),
    'registered before the first segment',
  );
  assert.equal(events.filter((e) => e === 'requested').length, 1, 'the repeat appended nothing');
  const seqs = (await deps.store.timeline(req.id)).map((e) => e.seq);
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 1),
  );
});

test('a repeat with another number is refused; malformed requests get a reason', async () => {
  await requestBootstrap(deps, { id: 'pos-idem-0002', msisdn: '+447400700002', origin: pos, pin: '2468' });
  await assert.rejects(requestBootstrap(deps, { id: 'pos-idem-0002', msisdn: '+447400700003', origin: pos }), (e) =>
    isBootlineError(e, 'BOOTSTRAP_ID_CONFLICT'),
  );
  const refusals: Array<[object, RegExp]> = [
    [{ id: 'a:b' }, /id must be/],
    [{ msisdn: '07400700004' }, /E\.164/],
    [{ origin: { door: 'fax', by: 'x' } }, /origin\.door/],
    [{ profile: 'dm' }, /needs the IMEI/],
    [{ pin: '12' }, /pin must be 4-10 digits/],
    [{ sec: 'USERPINMAC', pin: '1234' }, /pin must be 5-20 digits for USERPINMAC/],
  ];
  for (const [over, reason] of refusals)
    await assert.rejects(
      requestBootstrap(deps, { id: 'pos-bad-1', msisdn: '+447400700004', origin: pos, ...over }),
      (e) => isBootlineError(e, 'BAD_REQUEST') && reason.test(e.message),
      String(reason),
    );
  assert.equal(await deps.store.get('pos-bad-1'), null, 'a refused request leaves nothing');
});

test('the worker builds what the record says: DM profile, USERPINMAC, whatever PUSH_SECURITY is', async () => {
  const res = await requestBootstrap(deps, {
    id: 'pos-dm-0001',
    msisdn: '+447400700005',
    origin: pos,
    profile: 'dm',
    sec: 'USERPINMAC',
    imei: '490154203237518',
  });
  assert.match(res.pin ?? '', /^\d{6}$/);
  await waitFor('submitted', async () => ['submitted', 'delivered'].includes((await deps.store.status(res.id)) ?? ''));
  const parts = stack.smsc.received
    .filter((r) => r.destinationAddr === '447400700005')
    .map((r) => r.shortMessage)
    .sort((a, b) => (splitUdh(a).concat?.seq ?? 0) - (splitUdh(b).concat?.seq ?? 0));
  const push = parseWspPush(Buffer.from(reassemble(parts)));
  assert.equal(push.sec, 3, 'SEC=USERPINMAC (OMA-WAP-TS-ProvBoot)');
  assert.equal(push.contentType, CONTENT_TYPE_DM, 'application/vnd.syncml.dm+wbxml');
  assert.ok(push.body.includes(Buffer.from('IMEI:490154203237518')), 'the DM account is bound to the IMEI');
});
