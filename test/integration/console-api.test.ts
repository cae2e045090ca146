import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { KEYS } from '../../src/platform/redis/keys.js';
import { startTestRedis } from '../helpers/redis.js';
import { AGENT, consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// Console login (session cookie), page access, and the simulator API: a draft can be called
// before any caller hears it, while real calls stay on the published version.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let s: ConsoleStack;
let original: string;
const auth = { authorization: `Bearer ${OPERATOR}` };
const api = () => request(s.app);

before(async () => {
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-console-api}' });
  s = consoleStack(redis.url, { prefix: '{t-console-api}' });
  await s.web.ready();
  await s.listen();
  original = readFileSync(join(s.dir, 'bootstrap.yaml'), 'utf8');
});
after(async () => {
  await s.close();
  await worker.close();
  await redis.stop();
});

async function login(token = OPERATOR): Promise<request.Response> {
  return api().post('/console/login').type('form').send({ token, name: 'Dee', next: '/console/flows/bootstrap' });
}

test('login: pages redirect to the login form; a non-operator token is refused; the cookie is HttpOnly, Secure, SameSite=Strict', async () => {
  const page = await api().get('/console/flows/bootstrap');
  assert.equal(page.status, 303);
  assert.equal(page.headers.location, '/console/login?next=%2Fconsole%2Fflows%2Fbootstrap');
  assert.equal((await login(AGENT)).status, 401);
  assert.equal((await login('nope')).status, 401);
  const ok = await login();
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.location, '/console/flows/bootstrap');
  const cookie = ok.headers['set-cookie']![0]!;
  assert.match(cookie, /^bl_console=[\w-]+\.[\w-]+; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=28800$/);
  assert.ok(!cookie.includes(OPERATOR), 'the token itself is never in the cookie');
  const session = cookie.split(';')[0]!;
  const flowPage = await api().get('/console/flows/bootstrap').set('cookie', session);
  assert.equal(flowPage.status, 200);
  assert.match(flowPage.text, /<textarea id="yaml"/);
  assert.ok(!/<script>|on(click|load)=/.test(flowPage.text), 'no inline scripts or handlers (strict CSP)');
  assert.equal((await api().get('/api/flows').set('cookie', session)).status, 200, 'the session works for the API');

  const [payload, mac] = session.slice('bl_console='.length).split('.');
  const forged = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), name: 'Mallory' }),
  ).toString('base64url');
  assert.equal(
    (await api().get('/api/flows').set('cookie', `bl_console=${forged}.${mac}`)).status,
    401,
    'a forged cookie is refused',
  );
  const cross = await api()
    .put('/api/flows/bootstrap/draft')
    .set('cookie', session)
    .set('origin', 'https://evil.example')
    .send({ text: original, seq: 0 });
  assert.equal(cross.status, 403, 'a cross-origin write with the cookie is refused');
  const sibling = await api()
    .put('/api/flows/bootstrap/draft')
    .set('cookie', session)
    .set('sec-fetch-site', 'same-site')
    .send({ text: original, seq: 0 });
  assert.equal(sibling.status, 403, 'so is one a sibling subdomain made (Sec-Fetch-Site), Origin or not');
  const logout = await api().post('/console/logout').set('cookie', session);
  assert.match(logout.headers['set-cookie']![0]!, /^bl_console=; .*Max-Age=0/);
});

test('home page: flows with status, calls in progress and recent bootstraps with masked numbers, dashboard link', async () => {
  const session = (await login()).headers['set-cookie']![0]!.split(';')[0]!;
  const call = s.web.sim();
  await call.dial();
  await call.press('1');
  await call.press('07400123457');
  const home = await api().get('/console').set('cookie', session);
  assert.equal(home.status, 200);
  assert.match(home.text, /href="\/console\/flows\/bootstrap"/);
  assert.match(home.text, /href="\/admin\/queues"/);
  assert.match(home.text, /<td>confirm<\/td><td>\+44\*+457/, 'the call in progress, its number masked');
  assert.ok(!home.text.includes('7400123457'), 'never the full number');
  await call.hangup();
});

test('simulator: a draft is callable before publishing; real calls still hear the published version', async () => {
  const draft = original.replace('Welcome to device setup.', 'Welcome to the DRAFT setup.');
  const seq = (await api().get('/api/flows/bootstrap').set(auth)).body.seq;
  assert.equal((await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: draft, seq })).status, 200);

  const started = await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'draft' });
  assert.equal(started.status, 201);
  assert.equal(started.body.state, 'keys');
  assert.equal(started.body.version, 'draft');
  const next = await api().post(`/api/sim/calls/${started.body.id}/keys`).set(auth).send({ digits: '1' });
  assert.match(next.body.lines.map((l: { text: string }) => l.text).join('\n'), /Welcome to the DRAFT setup\./);

  const real = s.web.sim();
  await real.dial();
  assert.match(
    (await real.press('1')).says.join(' '),
    /Welcome to device setup\./,
    'a real caller is on the published flow',
  );

  assert.equal(
    (await api().post(`/api/sim/calls/${started.body.id}/keys`).set(auth).send({ digits: '12a' })).status,
    400,
  );
  const hung = await api().delete(`/api/sim/calls/${started.body.id}`).set(auth);
  assert.equal(hung.status, 200);
  const gone = await api().get(`/api/sim/calls/${started.body.id}`).set(auth);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 'SIM_CALL_UNKNOWN');
});

test('simulator: any web process carries a console call on (several copies behind one port); the record is sealed', async () => {
  // A second web process on the same Redis, with its own registry and its own loopback port.
  const other = consoleStack(redis.url, { prefix: '{t-console-api}' });
  await other.web.ready();
  await other.listen();
  try {
    const draft = original.replace('Welcome to device setup.', 'Welcome to the SHARED draft.');
    const seq = (await api().get('/api/flows/bootstrap').set(auth)).body.seq;
    assert.equal((await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: draft, seq })).status, 200);
    const started = await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'draft' });
    assert.equal(started.status, 201);
    const id = started.body.id as string;
    // The browser's next request reaches the other process: it knows the call and the draft.
    const next = await request(other.app).post(`/api/sim/calls/${id}/keys`).set(auth).send({ digits: '1' });
    assert.equal(next.status, 200);
    assert.match(next.body.lines.map((l: { text: string }) => l.text).join('\n'), /Welcome to the SHARED draft\./);
    assert.equal(next.body.state, 'keys');
    const back = await api().get(`/api/sim/calls/${id}`).set(auth);
    assert.deepEqual(back.body.lines, next.body.lines, 'and the first process sees the same call');
    const stored = await s.web.redis.get(KEYS.simCall(id));
    assert.ok(stored && !stored.includes('Welcome'), 'the transcript is not readable in Redis');
    assert.equal((await request(other.app).delete(`/api/sim/calls/${id}`).set(auth)).status, 200);
    assert.equal((await api().get(`/api/sim/calls/${id}`).set(auth)).status, 404);
  } finally {
    await other.close();
  }
});

test('simulator: an invalid draft cannot be called (422 with problems); unauthenticated calls are refused', async () => {
  const seq = (await api().get('/api/flows/bootstrap').set(auth)).body.seq;
  await api()
    .put('/api/flows/bootstrap/draft')
    .set(auth)
    .send({ text: original.replace('start: language', 'start: nowhere'), seq });
  const r = await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'draft' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'FLOW_DRAFT_INVALID');
  assert.equal(r.body.error.problems[0].path, 'start');
  assert.equal((await api().post('/api/sim/calls').send({ flow: 'bootstrap' })).status, 401);
  assert.equal(
    (await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'latest' })).status,
    400,
  );
});

test('simulator: the code SMS the SMSC accepted is shown, and the call reaches the PIN and queues the push', async () => {
  const start = await api().post('/api/sim/calls').set(auth).send({ flow: 'bootstrap', version: 'published' });
  const id = start.body.id as string;
  const press = (digits: string) => api().post(`/api/sim/calls/${id}/keys`).set(auth).send({ digits });
  await press('1');
  await press('07400123458#');
  await press('1');
  let texts: Array<{ to: string; text: string }> = [];
  for (let i = 0; i < 200 && !texts.length; i++) {
    texts = (await api().get(`/api/sim/calls/${id}`).set(auth)).body.texts;
    if (!texts.length) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(texts.length, 1);
  assert.equal(texts[0]!.to, '+447400123458');
  const code = /\b(\d{6})\b/.exec(texts[0]!.text)![1]!;
  const pin = await press(code);
  assert.match(pin.body.lines.at(-2).text, /^Your PIN is \d \d \d, \d \d \d\./);
  assert.equal(pin.body.state, 'holding');
  assert.ok(['queued', 'submitted', 'delivered'].includes(pin.body.bootstrap.status));
  assert.equal(pin.body.bootstrap.to, '+44*******458');
  await api().delete(`/api/sim/calls/${id}`).set(auth);
});

test('login guessing under one name: past 5 failures that name backs off (429, Retry-After); bearer API use goes on', async () => {
  const guess = (i: number) =>
    api()
      .post('/console/login')
      .type('form')
      .send({ token: `guess-${i}`, name: 'Guesser', next: '/console' });
  for (let i = 0; i < 6; i++)
    assert.equal((await guess(i)).status, 401, 'five free failures, the sixth starts the back-off');
  // The back-off after the sixth is 1 s, then 2 s, 4 s: a loaded machine may let a second pass first.
  let blocked = await guess(6);
  for (let i = 7; blocked.status === 401 && i < 10; i++) blocked = await guess(i);
  assert.equal(blocked.status, 429);
  assert.match(blocked.text, /role="alert" id="login-error">Too many failed logins .*\(CONSOLE_LOGIN_THROTTLED\)</);
  assert.equal(blocked.headers['set-cookie'], undefined);
  assert.ok(Number(blocked.headers['retry-after']) >= 1);
  assert.equal((await login()).status, 303, 'another name from the same address logs in');
  assert.equal((await api().get('/api/flows').set(auth)).status, 200, 'bearer API use is not affected');
});
