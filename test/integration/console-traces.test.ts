import assert from 'node:assert/strict';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { KEYS } from '../../src/platform/redis/keys.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { consoleStack, OPERATOR, READ_ONLY, type ConsoleStack } from '../helpers/console-stack.js';

// Execution traces through the console API, flow tests from the console (sandboxed) and the
// publish check they make, test callers reaching the draft, and the small console defects.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
let original: string;
const TESTER = '+447700900555';
const auth = { authorization: `Bearer ${OPERATOR}` };
const ro = { authorization: `Bearer ${READ_ONLY}` };
const api = () => request(s.app);

before(async () => {
  redis = await startTestRedis();
  s = consoleStack(redis.url, { prefix: '{t-console-traces}', testCallers: [TESTER] });
  cpSync(join(repoRoot, 'voice-flows', 'tests'), join(s.dir, 'tests'), { recursive: true });
  await s.web.ready();
  await s.listen();
  original = readFileSync(join(s.dir, 'bootstrap.yaml'), 'utf8');
});
after(async () => {
  await s.close();
  await redis.stop();
});

const seqNow = async () => (await api().get('/api/flows/bootstrap').set(auth)).body.seq as number;

test('a simulated call leaves a trace: steps, masked keys, the SMS, the escalation, the outcome; listed and filtered', async () => {
  const start = await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'published' });
  assert.equal(start.status, 201);
  const id = start.body.id as string;
  for (const digits of ['1', '07400123456#', '1', '0'])
    await api().post(`/api/sim/calls/${id}/keys`).set(auth).send({ digits });
  const { callSid } = (await api().get(`/api/sim/calls/${id}`).set(auth)).body as { callSid: string };
  await api().delete(`/api/sim/calls/${id}`).set(auth);

  const t = await api().get(`/api/calls/${callSid}`).set(ro);
  assert.equal(t.status, 200, 'a read-only token may read traces');
  assert.deepEqual([t.body.meta.flow, t.body.meta.source, t.body.meta.outcome], ['bootstrap', 'simulator', 'agent']);
  assert.ok(t.body.meta.endedAt, 'the hang-up ended the trace');
  assert.deepEqual(t.body.path, ['language', 'welcome', 'number', 'confirm', 'sendCode', 'code', 'agent']);
  const kinds = (k: string) => t.body.events.filter((e: { kind: string }) => e.kind === k);
  assert.deepEqual(
    kinds('keys').map((e: { keys: string }) => e.keys),
    ['1', '07******456', '1', '0'],
    'the number is masked where it was typed',
  );
  assert.deepEqual(
    kinds('sms').map((e: { to: string }) => e.to),
    ['+44*******456'],
  );
  assert.ok(kinds('prompt').some((e: { key: string }) => e.key === 'askNumber'));
  const esc = kinds('escalation')[0];
  assert.deepEqual(
    [esc.verb, esc.target, esc.attributes.maskedNumber, esc.attributes.lastStep],
    ['Enqueue', 'support', '+44*******456', 'code'],
  );
  assert.ok(!JSON.stringify(t.body).includes('7400123456'), 'never the number in clear');
  const stored = await s.web.redis.lrange(KEYS.trace(callSid), 0, -1);
  assert.ok(stored.length > 1 && stored.every((b) => !b.includes('askNumber')), 'events are sealed at rest');

  const list = await api().get('/api/calls?flow=bootstrap&source=simulator&outcome=agent').set(ro);
  assert.ok(list.body.calls.some((c: { callSid: string }) => c.callSid === callSid));
  assert.equal((await api().get('/api/calls?outcome=pushed').set(ro)).body.calls.length, 0);
  assert.equal((await api().get('/api/calls?outcome=nope').set(ro)).status, 400);
  assert.equal((await api().post('/api/sim/calls').set(ro).send({ flow: 'bootstrap' })).status, 403);
  const page = await api().get(`/api/calls/${callSid}/graph`).set(auth).buffer(true);
  assert.match(String(page.body), /data-step="agent"/, 'the diagram of the revision the call ran');
  assert.equal((await api().get('/api/calls/CA00000000000000000000000000000000').set(ro)).status, 404);
});

test('console flow tests run sandboxed; a draft whose tests fail is published only with a reason, kept in history', async () => {
  const queued = async () => Object.values(await s.web.smsQueue.getJobCounts()).reduce((a, b) => a + b, 0);
  const before = await queued();
  const run = await api().post('/api/flows/bootstrap/tests').set(auth).send({ version: 'published' });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.failed, 0, JSON.stringify(run.body.cases.filter((c: { ok: boolean }) => !c.ok)));
  assert.ok(run.body.passed >= 10);
  // The sandbox plays the handset's answer too: each branch of wait-for-enrolment is reached.
  for (const name of [/connects to device management/, /fails to sign in/, /never connects/])
    assert.ok(
      run.body.cases.some((c: { ok: boolean; name: string }) => c.ok && name.test(c.name)),
      `a passing case ${name}`,
    );
  assert.equal(await queued(), before, 'no SMS left bootline');

  const broken = original.replace('Your PIN is {pin}. Again,', 'Your new PIN is {pin}. Again,');
  await api()
    .put('/api/flows/bootstrap/draft')
    .set(auth)
    .send({ text: broken, seq: await seqNow() });
  const refused = await api()
    .post('/api/flows/bootstrap/publish')
    .set(auth)
    .send({ seq: await seqNow(), message: 'x' });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'FLOW_TESTS_FAILED');
  assert.ok(refused.body.error.tests.failed > 0);
  const kept = await api().get('/api/flows/bootstrap/tests?version=draft').set(auth);
  assert.equal(kept.body.run.failed, refused.body.error.tests.failed, 'the run is kept for the draft');
  const ok = await api()
    .post('/api/flows/bootstrap/publish')
    .set(auth)
    .send({ seq: await seqNow(), message: 'new wording', testsOverride: 'tests updated next' });
  assert.equal(ok.status, 200);
  const rev = (await api().get('/api/flows/bootstrap/revisions').set(auth)).body.revisions[0];
  assert.deepEqual([rev.testsOverride, rev.tests.failed > 0], ['tests updated next', true]);
});

test('test callers reach the draft; everyone else the published version; the trace says so', async () => {
  const draft = (await api().get('/api/flows/bootstrap').set(auth)).body.publishedText.replace(
    'Welcome to device setup.',
    'Welcome to the draft.',
  );
  await api()
    .put('/api/flows/bootstrap/draft')
    .set(auth)
    .send({ text: draft, seq: await seqNow() });
  const tester = s.web.sim({ from: TESTER });
  await tester.dial();
  assert.match((await tester.press('1')).says[0]!, /^Welcome to the draft\./);
  const caller = s.web.sim({ from: '+447700900556' });
  await caller.dial();
  assert.match((await caller.press('1')).says[0]!, /^Welcome to device setup\./);
  const meta = (await api().get(`/api/calls/${tester.callSid}`).set(auth)).body.meta;
  assert.deepEqual([meta.draft, meta.source], [true, 'call']);
  assert.equal((await api().get(`/api/calls/${caller.callSid}`).set(auth)).body.meta.draft, false);
});

test('GET / opens the console; after a rollback one history row is live; a restored file clears a broken draft', async () => {
  const root = await api().get('/');
  assert.deepEqual([root.status, root.headers.location], [303, '/console']);
  await api()
    .delete(`/api/flows/bootstrap/draft?seq=${await seqNow()}`)
    .set(auth);
  await api().post('/api/flows/bootstrap/rollback').set(auth).send({ to: '1' });
  const login = await api()
    .post('/console/login')
    .type('form')
    .send({ token: OPERATOR, name: 'Ann', next: '/console' });
  const cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
  const page = await api().get('/console/flows/bootstrap').set('cookie', cookie);
  assert.equal((page.text.match(/badge ok">live</g) ?? []).length, 1);

  const file = join(s.dir, 'bootstrap.yaml');
  const good = readFileSync(file, 'utf8');
  writeFileSync(`${file}.tmp`, good.replace('start: language', 'start: nowhere'));
  renameSync(`${file}.tmp`, file);
  assert.equal(s.admin.summary('bootstrap').draft?.problems, 1, 'the broken hand edit is the draft');
  writeFileSync(`${file}.tmp`, good);
  renameSync(`${file}.tmp`, file);
  assert.equal(s.admin.summary('bootstrap').draft, null, 'restoring the file clears it');
});
