import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { startHandsetControl } from '../../src/dev/handset/control.js';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { handsetsFor } from '../helpers/handset-stack.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { DM_SECRET, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The console's call simulator on a stack that tracks enrolment (the dev stack's): a call that
// reaches wait-for-enrolment does not hold for ever — the caller types the PIN heard into the
// simulated handset (HANDSET_CONTROL_URL), which opens its DM session at the DM stand-in, and
// the DM server's signal ends the wait. The handset's behaviour is a choice of the simulator.
const PREFIX = '{t-console-sim-enrol}';
const auth = { authorization: `Bearer ${OPERATOR}` };
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let handsets: ReturnType<typeof handsetsFor>;
let control: Awaited<ReturnType<typeof startHandsetControl>>;
let s: ConsoleStack;

before(async () => {
  redis = await startTestRedis();
  worker = await workerStack(redis.url, {
    prefix: PREFIX,
    config: { lifecycle: { enrolmentWindowS: 600, events: { source: null, subscribers: [] } } },
  });
  handsets = handsetsFor(worker);
  control = await startHandsetControl(handsets.handsets, 0);
  s = consoleStack(redis.url, {
    prefix: PREFIX,
    env: {
      DM_REGISTER_URL: worker.dm.url,
      DM_REGISTER_SECRET: DM_SECRET,
      ENROLMENT_WINDOW_S: '600',
      HANDSET_CONTROL_URL: control.url,
    },
  });
  await s.web.ready();
  worker.dm.bootlineUrl = (await s.listen()).replace('localhost', '127.0.0.1');
});
after(async () => {
  await s.close();
  await control.close();
  handsets.detach();
  await worker.close();
  await redis.stop();
});

interface View {
  id: string;
  state: string;
  handset: string | null;
  lines: Array<{ who: string; text: string }>;
  texts: Array<{ to: string; text: string }>;
  bootstrap: { status: string } | null;
}

/** A console call to `number` as the operator's browser places it, up to the end of the call. */
async function call(number: string, handset?: string): Promise<View> {
  const api = () => request(s.app);
  const started = await api()
    .post('/api/sim/calls')
    .set(auth)
    .send({ flow: 'bootstrap', version: 'published', ...(handset ? { handset } : {}) });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = (started.body as View).id;
  const keys = async (digits: string) => {
    const r = await api().post(`/api/sim/calls/${id}/keys`).set(auth).send({ digits });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as View;
  };
  for (const k of ['1', `${number}#`, '1']) await keys(k);
  const sms = await waitFor('the code SMS', async () => {
    const v = (await api().get(`/api/sim/calls/${id}`).set(auth)).body as View;
    return v.texts[0]?.text;
  });
  let v = await keys(/\b(\d{6})\b/.exec(sms)![1]!);
  // Like the browser: a holding call is carried on until it asks for keys, is with an agent or ends.
  const end = Date.now() + 60_000;
  while (v.state === 'holding' && Date.now() < end) v = await keys('');
  return v;
}

test('console simulator: the handset connects while the caller holds; the call ends with the enrolled prompt', async () => {
  const v = await call('07400555001');
  const said = v.lines.map((l) => l.text);
  assert.equal(v.state, 'ended', said.join('\n'));
  assert.equal(v.handset, 'enrolled', 'the simulator drives a handset, connecting by default');
  assert.ok(said.includes('(types the PIN into the phone)'), said.join('\n'));
  assert.ok(said.includes('Your phone has connected to device management. It is ready to use.'), said.join('\n'));
  assert.equal(said.at(-1), 'Thank you for calling. Goodbye.');
  assert.equal(v.bootstrap?.status, 'enrolled');
});

test('console simulator: a handset with wrong credentials fails sign-in; the caller is told and goes to an agent', async () => {
  const v = await call('07400555002', 'auth-failed');
  const said = v.lines.map((l) => l.text);
  assert.equal(v.state, 'agent', said.join('\n'));
  assert.ok(said.includes('Sorry, your phone could not sign in to device management.'), said.join('\n'));
  assert.equal(v.bootstrap?.status, 'failed');
});

test('console simulator: an unknown handset choice is a bad request', async () => {
  const r = await request(s.app)
    .post('/api/sim/calls')
    .set(auth)
    .send({ flow: 'bootstrap', version: 'published', handset: 'sometimes' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /"handset" is one of enrolled, auth-failed, not-enrolled/);
});
