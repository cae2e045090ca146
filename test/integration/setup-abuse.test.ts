import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import request from 'supertest';
import { DEFAULT_DOORS } from '../../src/config/doors.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_LIMITS, webStack, type WebStack } from '../helpers/stack.js';

// The self-service page's abuse defences over HTTP, like the hotline's: CSRF and Origin, the
// proof of work once an address is hot (solved, then replayed), the per-IP code limit, wrong
// codes, a SIM-swap block; nothing is sent when a defence says no, and no number is in a URL.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, {
    prefix: '{t-setup-abuse}',
    limits: { ...TEST_LIMITS, code: { ...TEST_LIMITS.code, caller: { points: 4, seconds: 3600 } } },
    doors: {
      tokens: [],
      batchWorker: false,
      config: {
        setup: { ...DEFAULT_DOORS.setup, challenge: 'hot', hot: { ip: 1, prefix: 100 }, cost: 1, counter: 20 },
      },
    },
  });
  await web.ready();
});
after(async () => {
  await web.close();
  await redis.stop();
});

/** A new visitor: its cookie and the CSRF token of its page. */
async function visit() {
  const page = await request(web.app).get('/setup');
  const cookie = page.headers['set-cookie']![0]!.split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
  return {
    post: (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      request(web.app)
        .post(path)
        .set('Cookie', cookie)
        .set(headers)
        .type('form')
        .send({ csrf, lang: 'en', ...form }),
    get: (path: string) => request(web.app).get(path).set('Cookie', cookie),
  };
}
const texts = () => web.smsQueue.count();

async function solved(): Promise<string> {
  const challenge = (await request(web.app).get('/setup/challenge')).body;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

test('CSRF: without the token, or from another origin, nothing is sent', async () => {
  const v = await visit();
  const before = await texts();
  const noToken = await v.post('/setup/number', { number: '07400500001', csrf: '' });
  assert.equal(noToken.status, 403);
  assert.match(noToken.text, /This page has expired/);
  const foreign = await v.post('/setup/number', { number: '07400500001' }, { Origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(await texts(), before);
});

test('a hot address must solve the proof of work; a solution is good once', async () => {
  const first = await (await visit()).post('/setup/number', { number: '07400500002' });
  assert.equal(first.status, 303, first.text);
  assert.equal(first.headers.location, '/setup?lang=en', 'no number in the redirect');
  const v = await visit();
  const before = await texts();
  const hot = await v.post('/setup/number', { number: '07400500003' });
  assert.equal(hot.status, 428);
  assert.match(hot.text, /<altcha-widget challenge="\/setup\/challenge"/);
  assert.equal(await texts(), before, 'no SMS without the proof of work');
  const payload = await solved();
  assert.equal((await v.post('/setup/number', { number: '07400500003', altcha: 'bm9wZQ==' })).status, 403);
  assert.equal((await v.post('/setup/number', { number: '07400500003', altcha: payload })).status, 303);
  assert.equal(await texts(), before + 1);
  const replay = await (await visit()).post('/setup/number', { number: '07400500004', altcha: payload });
  assert.equal(replay.status, 403, 'the same solution twice');
  assert.equal(await texts(), before + 1);
});

test('the per-IP code limit, three wrong codes, and a SIM-swap block each stop the page', async () => {
  // Two codes went out from this address above; the limit is 4 per hour.
  const v = await visit();
  assert.equal((await v.post('/setup/number', { number: '07400500005', altcha: await solved() })).status, 303);
  for (const wrong of ['000000', '000001']) {
    const r = await v.post('/setup/code', { code: wrong });
    assert.equal(r.status, 422);
    assert.match(r.text, /that code is not right/);
  }
  const third = await v.post('/setup/code', { code: '000002' });
  assert.equal(third.status, 403);
  assert.match(third.text, /could not verify that number/);

  const w = await visit();
  assert.equal((await w.post('/setup/number', { number: '07400500006', altcha: await solved() })).status, 303);
  const over = await (await visit()).post('/setup/number', { number: '07400500007', altcha: await solved() });
  assert.equal(over.status, 429);
  assert.match(over.text, /cannot send more messages/);

  await web.doors!.blocks.block('+447400500008', { reason: 'sim-swap', event: 'e1', seconds: 60 });
  const blocked = await (await visit()).post('/setup/number', { number: '07400500008' });
  assert.equal(blocked.status, 403);
  assert.match(blocked.text, /cannot set up this phone right now/);
});

test('numbers the hotline would refuse are refused with its words, the number kept in the form only', async () => {
  const v = await visit();
  const cases: Array<[string, RegExp]> = [
    ['12', /not a phone number I recognise/],
    ['+1 415 555 0100', /only set up phones with a UK or Spanish number/],
    ['020 7946 0000', /not a mobile number/],
  ];
  for (const [number, why] of cases) {
    const r = await v.post('/setup/number', { number });
    assert.equal(r.status, 422, number);
    assert.match(r.text, why);
  }
  const es = await request(web.app).get('/setup?lang=es');
  assert.match(es.text, /<html lang="es">/);
  assert.match(es.text, /Número de móvil/);
  assert.match(es.headers['content-security-policy']!, /script-src 'self'/);
});
