import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { Config } from '../../src/config/config.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { consoleStack, OPERATOR, POS, READ_ONLY, type ConsoleStack } from '../helpers/console-stack.js';
import { EventSink } from '../helpers/event-sink.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The console's delivery pages against a real stack (web with doors and a batch worker, a
// worker with the dev SMSC, a subscriber of the event stream): a bootstrap's timeline and
// origin, the door in the dashboard's list, the events' dead letters and "send again" (CSRF-
// checked), the batches with their progress and failed rows.
const PREFIX = '{t-console-deliveries}';
const SECRET = 'console-subscriber-secret-0';
const REFUSED = ['447400700009', '447400700103'];
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
let worker: WorkerStack;
const crm = new EventSink(SECRET);
const op = { authorization: `Bearer ${OPERATOR}` };
const pos = { authorization: `Bearer ${POS}` };

before(async () => {
  redis = await startTestRedis();
  // The CRM refuses every "queued" event (a 400 is not retried: a dead letter at once).
  crm.answer = (e) => (e.type.endsWith('.queued') ? 400 : 204);
  const subscribers = [{ name: 'crm', url: await crm.listen(), secret: SECRET }];
  s = consoleStack(redis.url, {
    prefix: PREFIX,
    env: { EVENT_SUBSCRIBERS: JSON.stringify(subscribers) },
    doors: { config: { batch: { window: 8 } } },
  });
  const lifecycle: Config['lifecycle'] = s.web.config.lifecycle;
  const reject = Object.fromEntries(REFUSED.map((n) => [n, 0x0b]));
  worker = await workerStack(redis.url, { prefix: PREFIX, config: { lifecycle }, smsc: { faults: { reject } } });
  await s.web.ready();
});
after(async () => {
  await worker.close();
  await s.close();
  await crm.close();
  await redis.stop();
});

const app = () => request(s.app);
const sale = async (msisdn: string, reference: string) => {
  const res = await app().post('/api/bootstraps').set(pos).send({ msisdn, reference });
  assert.equal(res.status, 202, res.text);
  return res.body as { id: string; pin: string };
};
const until = (id: string, state: string) =>
  waitFor(`${id} ${state}`, async () => (await s.web.store.status(id)) === state, 20_000);
const events = (page: string) => [...page.matchAll(/data-event="([a-z-]+)"/g)].map((m) => m[1]);

test('a bootstrap page shows its timeline in order, its door and masked clerk; the dashboard lists the door', async () => {
  const { id, pin } = await sale('+447400700001', 'sale-1');
  await until(id, 'delivered');
  const res = await app().get(`/console/bootstraps/${id}`).set(op);
  assert.equal(res.status, 200);
  const seen = events(res.text);
  const order = ['requested', 'pin-issued', 'queued', 'segment-submitted', 'submitted', 'segment-delivered'];
  for (const e of [...order, 'delivered']) assert.ok(seen.includes(e), `timeline has ${e}: ${seen.join(' ')}`);
  const at = (e: string) => seen.indexOf(e);
  assert.ok(
    order.every((e, i) => i === 0 || at(order[i - 1]!) < at(e)),
    `in order: ${seen.join(' ')}`,
  );
  assert.equal(seen.at(-1), 'delivered');
  const segs = (e: string) =>
    [...res.text.matchAll(new RegExp(`data-event="${e}">.*?segment (\\d+) ·`, 'g'))].map((m) => Number(m[1]));
  const n = (res.text.match(/<caption>Segments \((\d+)\)/) ?? [])[1];
  const all = Array.from({ length: Number(n) }, (_, i) => i + 1);
  assert.ok(all.length >= 2, 'a multi-segment push');
  assert.deepEqual(segs('segment-submitted').sort(), all, 'segments numbered 1..n as in the concatenation IE');
  assert.deepEqual(segs('segment-delivered').sort(), all);
  assert.match(res.text, /id="origin"><span class="badge">pos<\/span> pos [0-9a-f]{12} <span class="hint">ref sale-1/);
  assert.match(res.text, /<dd>\+447400700001<\/dd>/, 'an operator sees the number, as in the status API');
  assert.ok(!res.text.includes(pin), 'never the PIN');
  assert.equal(
    (
      await app()
        .get(`/console/bootstraps/${id}`)
        .set({ authorization: `Bearer ${READ_ONLY}` })
    ).status,
    403,
  );

  const home = await app().get('/console').set(op);
  const row = home.text.split('<tr>').find((r) => r.includes(`href="/console/bootstraps/${id}">${id}</a>`));
  assert.ok(row, 'the recent list links the untruncated id');
  assert.match(row, /<td class="origin"><span class="badge">pos<\/span> pos [0-9a-f]{12}/);
  assert.match(row, /\+44\*{7}001/, 'masked in the list');
});

test('a hotline call: its bootstrap page says verified and links the call; the calls list links the bootstrap', async () => {
  const sim = s.web.sim({ from: '+447400999777', inbox: devSmscInbox(worker.smsc) });
  await sim.dial();
  for (const keys of ['1', '07400700050', '1']) await sim.press(keys);
  await sim.press(await sim.waitForCode({ to: '+447400700050' }));
  const id = `bs-${sim.callSid}`;
  await until(id, 'delivered');
  const res = await app().get(`/console/bootstraps/${id}`).set(op);
  const seen = events(res.text);
  assert.ok(seen.indexOf('requested') < seen.indexOf('verified'), seen.join(' '));
  assert.ok(seen.indexOf('verified') < seen.indexOf('queued'), seen.join(' '));
  assert.match(res.text, /id="origin"><span class="badge">hotline<\/span> /);
  assert.ok(res.text.includes(`<a href="/console/calls/${sim.callSid}">the call</a>`));
  const calls = await app().get('/console/calls').set(op);
  const row = calls.text.split('<tr>').find((r) => r.includes(`/console/calls/${sim.callSid}"`));
  assert.ok(row?.includes(`<a href="/console/bootstraps/${id}">${id}</a>`), 'the calls list links the bootstrap');
});

test('a failed bootstrap ends its timeline with the cause code', async () => {
  const { id } = await sale('+447400700009', 'sale-9');
  await until(id, 'failed');
  const res = await app().get(`/console/bootstraps/${id}`).set(op);
  assert.equal(events(res.text).at(-1), 'failed');
  assert.match(res.text, /<tr data-event="failed">.*<code class="cause">SMSC_REJECTED<\/code>/);
  assert.match(res.text, /id="cause"><code class="cause">SMSC_REJECTED/);
  assert.equal((await app().get('/console/bootstraps/bs-nope').set(op)).status, 404);
  const home = await app().get('/console').set(op);
  const row = home.text.split('<tr>').find((r) => r.includes(`/console/bootstraps/${id}"`));
  assert.match(row ?? '', /failed<\/span> <span class="hint">SMSC_REJECTED</, 'the list names the cause');
});

test('event dead letters are listed; "send again" is refused cross-site and delivers from the console', async () => {
  const { id } = await sale('+447400700002', 'sale-2');
  const job = `evt-${id}-3-crm`;
  const page = await waitFor(
    'dead letter listed',
    async () => {
      const r = await app().get('/console/dead-letters').set(op);
      return r.text.includes(job) ? r.text : null;
    },
    20_000,
  );
  const row = page.split('<tr>').find((r) => r.includes(`data-job="${job}"`))!;
  assert.match(row, /<td>crm<\/td><td><code>org\.bootline\.bootstrap\.queued<\/code><\/td>/);
  assert.match(row, new RegExp(`<a href="/console/bootstraps/${id}">${id}</a></td><td>1</td>`));
  assert.match(row, /crm answered HTTP 400/);

  const login = await app().post('/console/login').type('form').send({ token: OPERATOR, name: 'Ops' });
  const cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
  const retry = () => app().post('/console/dead-letters/retry').set('Cookie', cookie);
  const evil = await retry().set('Origin', 'https://evil.example').send({ job });
  assert.equal(evil.status, 403, 'a page of another site cannot send it again');
  const form = await retry().set('Sec-Fetch-Site', 'same-origin').type('form').send({ job });
  assert.equal(form.status, 400, 'JSON only, like the console’s other writes');
  assert.equal((await retry().set('Sec-Fetch-Site', 'same-origin').send({ job: 'evt-x/../y' })).status, 400);
  assert.equal((await retry().set('Sec-Fetch-Site', 'same-origin').send({ job: 'evt-none-1-crm' })).status, 404);
  crm.answer = () => 204;
  const ok = await retry().set('Sec-Fetch-Site', 'same-origin').send({ job });
  assert.equal(ok.status, 202, ok.text);
  assert.deepEqual(ok.body, { job, state: 'waiting' });
  await waitFor('delivered again', () => crm.types(id).includes('org.bootline.bootstrap.queued'), 20_000);
  const after = await app().get('/console/dead-letters?retried=x').set(op);
  assert.ok(!after.text.includes(`data-job="${job}"`), 'no longer a dead letter');
  assert.match(after.text, /Sent again: <code>x<\/code>/);
});

test('batches: listed with owner, counts and a progress bar; a batch page pages its failed rows', async () => {
  const csv = ['msisdn,reference,pin', '+447400700101,b-1,123456', '+447400700102,b-2,234567']
    .concat(['not-a-number,b-x,123456', '+447400700103,b-3,345678'])
    .join('\n');
  const up = await app().post('/api/batches').set(pos).set('Content-Type', 'text/csv').send(csv);
  assert.equal(up.status, 202, up.text);
  const bt = up.body.batchId as string;
  await waitFor('batch done', async () => (await s.web.doors.batches.meta(bt))?.phase === 'done', 30_000);

  const list = await app().get('/console/batches').set(op);
  const row = list.text.split('<tr ').find((r) => r.includes(`data-batch-row="${bt}"`))!;
  assert.ok(row, list.text);
  assert.match(row, /<span class="badge">batch<\/span> pos [0-9a-f]{12}/, 'door and the clerk, masked');
  assert.match(row, /<progress max="1" value="1"/);
  for (const [state, n] of [
    ['delivered', 2],
    ['failed', 1],
    ['invalid', 1],
    ['pending', 0],
  ] as const)
    assert.match(row, new RegExp(`data-count="${state}">${n}<`), `${state}: ${n}`);
  const json = await app().get('/api/batches').set(pos);
  assert.match(json.body.batches[0].owner, /^pos [0-9a-f]{12}$/, 'the API lists the owner too');

  const one = await app().get(`/console/batches/${bt}`).set(op);
  assert.equal(one.status, 200);
  const rows = one.text.slice(one.text.indexOf('id="rows"'));
  assert.match(rows, /<td>4<\/td><td>\+44\*{7}103<\/td><td><a href="\/console\/bootstraps\/bs-bt[0-9a-f]{16}-4">/);
  assert.match(rows, /SMSC_REJECTED|ESME_RINVDSTADR/);
  assert.ok(!one.text.includes('345678'), 'never a row PIN');
  const invalid = await app().get(`/console/batches/${bt}?state=invalid`).set(op);
  assert.match(invalid.text, /<td>3<\/td><td>—<\/td><td>—<\/td><td>line 4: msisdn/);
  const later = await app().get(`/console/batches/${bt}?state=failed&after=4`).set(op);
  assert.match(later.text, /id="no-rows"/);
  const progress = await app().get(`/console/batches/${bt}/progress`).set(op);
  assert.deepEqual([progress.body.phase, progress.body.progress.final], ['done', 1]);
  assert.equal((await app().get('/console/batches/bt0000000000000000').set(op)).status, 404);
});
