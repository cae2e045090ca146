import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import twilio from 'twilio';
import { createApp } from '../../src/app/http.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import { KEYS } from '../../src/platform/redis/keys.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE, TEST_TOKEN, webStack, type WebStack } from '../helpers/stack.js';

// Replay defence, ended calls, HTTP hardening and a fuzz run over the /voice routes.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-sec}' });
  await web.ready();
});
after(async () => {
  await web.close();
  await redis.stop();
});

const CALL = (n: number) => 'CA' + n.toString(16).padStart(32, '0');

/** A signed webhook straight through supertest, with optional extra headers. */
function post(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const all = { AccountSid: 'AC' + '0'.repeat(32), From: '+447400000001', To: '+448000000000', ...params };
  return request(web.app)
    .post(path)
    .type('form')
    .send(all)
    .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_TOKEN, TEST_BASE + path, all))
    .set(headers);
}

const state = async (sid: string) =>
  JSON.parse((await web.redis.get(KEYS.call(sid)))!) as {
    step: string;
    attempts: Record<string, number>;
    seq?: number;
  };

test('/voice/input without its turn (t) is refused though signed: a stale request cannot pass for a current one', async () => {
  const sid = CALL(7);
  await post('/voice/incoming', { CallSid: sid });
  const before = await state(sid);
  for (const path of [
    '/voice/input?step=language',
    '/voice/input?step=language&t=',
    '/voice/input?step=language&t=x1',
  ]) {
    const r = await post(path, { CallSid: sid, Digits: '1' });
    assert.equal(r.status, 400, path);
    assert.match(r.text, /^t \(the turn of the action URL\) missing or malformed/);
  }
  assert.deepEqual(await state(sid), before, 'the call did not move');
  const current = await post('/voice/input?step=language&t=0', { CallSid: sid, Digits: '1' });
  assert.match(current.text, /Welcome to device setup/);
  const stale = await post('/voice/input?step=language&t=0', { CallSid: sid, Digits: '2' });
  assert.doesNotMatch(stale.text, /Bienvenido/, 'an old turn only hears where the call is');
});

test('a retried webhook (same I-Twilio-Idempotency-Token) is answered from cache, processed once', async () => {
  const sid = CALL(1);
  await post('/voice/incoming', { CallSid: sid });
  const first = await post(
    '/voice/input?step=language&t=0',
    { CallSid: sid, Digits: '7' },
    { 'I-Twilio-Idempotency-Token': 'tok-1' },
  );
  const again = await post(
    '/voice/input?step=language&t=0',
    { CallSid: sid, Digits: '7' },
    { 'I-Twilio-Idempotency-Token': 'tok-1' },
  );
  assert.equal(again.status, 200);
  assert.equal(again.text, first.text, 'the same answer');
  assert.equal((await state(sid)).attempts.language, 1, 'the wrong key counted once');
  // Both copies at once: still one processing.
  const [a, b] = await Promise.all(
    [1, 2].map(() =>
      post('/voice/input?step=language&t=1', { CallSid: sid, Digits: '8' }, { 'I-Twilio-Idempotency-Token': 'tok-2' }),
    ),
  );
  assert.equal(a!.status, 200);
  assert.equal(b!.status, 200);
  assert.equal((await state(sid)).attempts.language, 2);
});

test('a replayed old turn (signed action URL with an old t) processes nothing: no second code SMS', async () => {
  const sim = web.sim();
  await sim.dial();
  await sim.press('1');
  await sim.press('07400123456');
  const confirmUrl = sim.turn!.gather!.action; // …/voice/input?step=confirm&t=2
  assert.match(confirmUrl, /step=confirm&t=\d+$/);
  const sent = await sim.send(confirmUrl, { Digits: '1' }); // the code SMS goes out
  assert.equal(await web.smsQueue.count(), 1);
  // Within a minute a duplicate gets the very same answer from cache…
  assert.equal((await sim.send(confirmUrl, { Digits: '1' })).body, sent.body);
  // …later (the cached answer gone) the old turn is stale: the call's current prompt, nothing redone.
  for (const k of await web.redis.keys(`bl:call:{${sim.callSid}}:req:*`)) await web.redis.del(k);
  const replay = await sim.send(confirmUrl, { Digits: '1' });
  assert.equal(replay.status, 200);
  assert.match(replay.body, /step=code&amp;t=/, 'answers the step the call is at');
  assert.doesNotMatch(replay.body, /We have sent a text message/);
  assert.equal(await web.smsQueue.count(), 1, 'no second code');
  assert.equal(await web.redis.hget(`bl:otp:{${sim.callSid}}`, 'sends'), '1');
});

test('webhooks for a call that is over are refused with 410 and a reason', async () => {
  const sim = web.sim();
  await sim.dial();
  const action = sim.turn!.gather!.action;
  assert.equal(await sim.hangup(), 204);
  const late = await sim.send(action, { Digits: '1' });
  assert.equal(late.status, 410);
  assert.match(late.body, /CALL_ENDED/);
  assert.equal(
    (await sim.send(`${TEST_BASE}/voice/incoming`, {})).status,
    410,
    'a replayed first webhook cannot restart it',
  );
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 0, 'no state re-created');
});

test('security headers on every response; CORS closed by default, open only to configured origins', async () => {
  const res = await request(web.app).get('/healthz');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'/);
  assert.match(res.headers['content-security-policy'] ?? '', /frame-ancestors 'self'|frame-ancestors 'none'/);
  assert.ok(res.headers['strict-transport-security']);
  const pre = await request(web.app)
    .options('/api/bootstraps')
    .set('Origin', 'https://evil.example')
    .set('Access-Control-Request-Method', 'GET');
  assert.equal(pre.status, 403);
  assert.match(pre.body.error.message, /origin https:\/\/evil\.example may not call the API \(CORS_ORIGINS\)/);
  assert.equal(pre.headers['access-control-allow-origin'], undefined);

  const token = 'cors-agent-token-xyz';
  const app = createApp({
    config: {
      publicBaseUrl: TEST_BASE,
      twilioAuthToken: TEST_TOKEN,
      security: { corsOrigins: ['https://crm.example'] },
    },
    logger: silentLogger(),
    readiness: async () => ({}),
    api: {
      tokens: [{ role: 'agent', sha256: hashToken(token) }],
      store: web.store,
      bootstrapQueue: web.queue,
      queues: [web.queue],
    },
  });
  const ok = await request(app)
    .options('/api/bootstraps')
    .set('Origin', 'https://crm.example')
    .set('Access-Control-Request-Method', 'GET');
  assert.equal(ok.status, 204);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://crm.example');
  // Oversized JSON is 413 with a stable code; no token is 401, the wrong role 403.
  const big = await request(app)
    .post('/api/bootstraps/bs-x/retry')
    .set('Authorization', `Bearer ${token}`)
    .type('json')
    .send(JSON.stringify({ pad: 'x'.repeat(20_000) }));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'PAYLOAD_TOO_LARGE');
  assert.equal((await request(app).get('/api/bootstraps/bs-x')).status, 401);
});

test('form bodies of megabytes, duplicate keys, unicode and injection get 4xx or a spoken retry, never a 5xx', async () => {
  const sid = CALL(2);
  await post('/voice/incoming', { CallSid: sid });
  const huge = await request(web.app)
    .post('/voice/input?step=language')
    .type('form')
    .send('CallSid=' + sid + '&Digits=' + '1'.repeat(2_000_000));
  assert.equal(huge.status, 413);
  const dup = await request(web.app)
    .post('/voice/input?step=language&t=0')
    .type('form')
    .send(`CallSid=${sid}&CallSid=${sid}`)
    .set(
      'X-Twilio-Signature',
      twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/input?step=language&t=0`, {
        CallSid: [sid, sid] as unknown as string,
      }),
    );
  assert.equal(dup.status, 400, 'a repeated CallSid is not a CallSid');
  for (const [i, digits] of ['１２３', "1' OR '1'='1", '<Say>hi</Say>', '\u0000\u202e', '{{7*7}}'].entries()) {
    await post('/voice/incoming', { CallSid: CALL(100 + i) });
    const r = await post('/voice/input?step=language&t=0', { CallSid: CALL(100 + i), Digits: digits });
    assert.equal(r.status, 200, digits);
    assert.match(r.text, /For English, press 1/, 'asked again');
    assert.doesNotMatch(r.text, /<Say>hi<\/Say>|49/, 'nothing reflected as markup or evaluated');
  }
});

test('a webhook whose sender gives up mid-body changes nothing and the server keeps answering', async () => {
  const server = createServer(web.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const sid = CALL(4);
    const body = `CallSid=${sid}&From=%2B447400000001`;
    const sig = twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/incoming`, {
      CallSid: sid,
      From: '+447400000001',
    });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    // Headers promise the whole form; half of it arrives, then the connection drops.
    const arrived = once(server, 'request') as Promise<[IncomingMessage]>;
    socket.write(
      `POST /voice/incoming HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: ${sig}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
    );
    const [req] = await arrived;
    socket.destroy();
    await new Promise((closed) => req.once('close', closed)); // the server saw the drop (an 'aborted' error)
    assert.equal(await web.redis.exists(KEYS.call(sid)), 0, 'no call state from half a request');
    const whole = await fetch(`http://127.0.0.1:${port}/voice/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
      body,
    });
    assert.equal(whole.status, 200);
    assert.match(await whole.text(), /For English, press 1/);
  } finally {
    server.close();
  }
});

test('fuzz: thousands of random bodies and signatures → 0 × 5xx, unsigned ones all 403, nothing queued', async () => {
  const paths = [
    '/voice/incoming',
    '/voice/input?step=language',
    '/voice/input?step=number&t=1',
    '/voice/status',
    '/voice/fallback',
  ];
  const before = { sms: await web.smsQueue.count(), push: await web.queue.count() };
  const fields = fc.dictionary(
    fc.oneof(
      fc.constantFrom('CallSid', 'Digits', 'From', 'CallStatus', 'StirVerstat', 'To'),
      fc.string({ maxLength: 12 }),
    ),
    fc.oneof(fc.string({ maxLength: 40 }), fc.constant(CALL(3)), fc.stringMatching(/^[0-9*#]{0,20}$/)),
    { maxKeys: 8 },
  );
  let unsigned = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...paths),
      fields,
      fc.option(fc.base64String({ maxLength: 40 })),
      async (path, body, sig) => {
        const req = request(web.app).post(path).type('form').send(body);
        const res = sig === null ? await req : await req.set('X-Twilio-Signature', sig);
        unsigned++;
        assert.ok(res.status < 500, `${res.status} for ${path} ${JSON.stringify(body)}`);
        assert.equal(res.status, 403, 'a wrong or missing signature is always 403');
      },
    ),
    { numRuns: 1500 },
  );
  let signed = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...paths), fields, async (path, body) => {
      const sig = twilio.getExpectedTwilioSignature(TEST_TOKEN, TEST_BASE + path, body);
      const res = await request(web.app).post(path).type('form').send(body).set('X-Twilio-Signature', sig);
      signed++;
      assert.ok(
        res.status < 500,
        `${res.status} for signed ${path} ${JSON.stringify(body)}: ${res.text.slice(0, 200)}`,
      );
    }),
    { numRuns: 700 },
  );
  assert.equal(unsigned + signed, 2200);
  assert.deepEqual(
    { sms: await web.smsQueue.count(), push: await web.queue.count() },
    before,
    'no SMS and no push from fuzzed requests',
  );
});
