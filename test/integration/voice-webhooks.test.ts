import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import twilio from 'twilio';
import { KEYS } from '../../src/lib/redis.js';
import { unseal } from '../../src/lib/seal.js';
import { newCallSid } from '../../src/sim/call.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE, TEST_KEY, TEST_TOKEN, webStack, type WebStack } from '../helpers/stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-voice}' });
});
after(async () => { await web.close(); await redis.stop(); });

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const SAY = '<Say voice="Polly.Joanna" language="en-US">';
const ASK_NUMBER = `<Gather action="${TEST_BASE}/voice/input?step=number" method="POST" input="dtmf" finishOnKey="#" timeout="8" actionOnEmptyResult="true">` +
  `${SAY}Please key in the mobile number of the phone you want to set up, then press the pound key.</Say></Gather>`;

test('health and readiness', async () => {
  assert.deepEqual((await request(web.app).get('/healthz')).body, { status: 'ok' });
  const ready = await request(web.app).get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, { status: 'ready', checks: { redis: true, queue: true } });
});

test('an incoming call is greeted and asked for the number (exact TwiML)', async () => {
  const turn = await web.sim().dial();
  assert.equal(turn.status, 200);
  const res = await web.sim().send(`${TEST_BASE}/voice/incoming`, {});
  assert.equal(res.body, `${XML}<Response>${SAY}Welcome to device setup. We will send your new phone its settings.</Say>${ASK_NUMBER}</Response>`);
});

test('unsigned and tampered webhooks get 403 and change nothing', async () => {
  const callSid = newCallSid();
  const params = { CallSid: callSid, From: '+447400000001', To: '+448000000000' };
  const unsigned = await request(web.app).post('/voice/incoming').type('form').send(params);
  assert.equal(unsigned.status, 403);
  const sig = twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/incoming`, params);
  const tampered = await request(web.app).post('/voice/incoming').set('X-Twilio-Signature', sig).type('form').send({ ...params, From: '+447400000002' });
  assert.equal(tampered.status, 403);
  for (const path of ['/voice/input?step=number', '/voice/status', '/voice/fallback']) {
    assert.equal((await request(web.app).post(path).type('form').send(params)).status, 403, path);
  }
  assert.equal(await web.redis.exists(KEYS.call(callSid)), 0);
});

test('a signed request without a valid CallSid is a 400 with a reason', async () => {
  const res = await web.sim({ callSid: 'not-a-sid' }).send(`${TEST_BASE}/voice/incoming`, {});
  assert.equal(res.status, 400);
  assert.match(res.body, /CallSid/);
});

test('silence and wrong keys get spoken retries, then the give-up branch', async () => {
  const sim = web.sim();
  await sim.dial();
  let t = await sim.silence();
  assert.equal(t.says[0], 'Sorry, I did not hear any keys.');
  assert.equal(t.gather?.action, `${TEST_BASE}/voice/input?step=number`);
  t = await sim.press('12');
  assert.equal(t.says[0], 'Sorry, that is not a mobile number we can send settings to.');
  assert.ok(t.gather);
  t = await sim.press('02079460000'); // a London landline: not a mobile
  assert.deepEqual(t.says, ['Sorry, we could not get a number we can use. Please call again later. Goodbye.']);
  assert.ok(t.hungUp);
  assert.ok(t.verbs.some((v) => v.verb === 'Hangup'));
});

test('odd Digits values never produce a 5xx', async () => {
  for (const digits of ['', '9'.repeat(200), '*#*#', '<Say>x</Say>', 'abc', '0740012345６']) {
    const sim = web.sim();
    await sim.dial();
    const t = await sim.press(digits);
    assert.equal(t.status, 200, digits);
    assert.ok(t.gather, `still asking after ${JSON.stringify(digits)}`);
  }
});

test('the number is read back digit by digit; 2 re-enters, 1 speaks the PIN and queues the push', async () => {
  const sim = web.sim();
  await sim.dial();
  let t = await sim.press('07400123456');
  assert.deepEqual(t.says, ['You entered 0 7 4 0 0, 1 2 3 4 5 6. If that is correct, press 1. To enter it again, press 2.']);
  assert.equal(t.gather?.numDigits, 1);
  t = await sim.press('2');
  assert.match(t.says[0]!, /^Please key in the mobile number/);
  t = await sim.press('07400123457');
  t = await sim.press('1');
  const m = /^Your PIN is (\d), (\d), (\d), (\d), (\d), (\d)\. Again, your PIN is \1, \2, \3, \4, \5, \6\./.exec(t.says[0] ?? '');
  assert.ok(m, t.says[0]);
  const pin = m.slice(1, 7).join('');
  assert.deepEqual(t.says.slice(1), ['Your settings are on their way and should arrive within a few minutes.', 'Thank you for calling. Goodbye.']);
  assert.ok(t.hungUp);

  const id = `bs-${sim.callSid}`;
  const job = await web.queue.getJob(id);
  assert.ok(job, 'job queued under the CallSid-derived id');
  assert.deepEqual(job.data, { bootstrapId: id }, 'job data carries no number, PIN or key');
  const rec = await web.store.get(id);
  assert.equal(rec?.msisdn, '+447400123457');
  assert.equal(rec?.status, 'queued');
  const sealed = await web.redis.get(KEYS.bootstrapPin(id));
  assert.ok(sealed && !sealed.includes(pin), 'PIN is stored sealed');
  assert.equal(unseal(TEST_KEY, sealed, id), pin);
});

test('a replayed webhook neither re-queues nor re-rolls the PIN', async () => {
  const sim = web.sim();
  await sim.dial();
  await sim.press('07400123456');
  const confirmUrl = `${TEST_BASE}/voice/input?step=confirm`;
  const id = `bs-${sim.callSid}`;
  const first = await sim.send(confirmUrl, { Digits: '1' });
  const pinBefore = unseal(TEST_KEY, (await web.redis.get(KEYS.bootstrapPin(id)))!, id);
  const again = await sim.send(confirmUrl, { Digits: '1' }); // Twilio retry / replay
  assert.equal(again.status, 200);
  assert.doesNotMatch(again.body, /Your PIN is/);
  assert.equal(unseal(TEST_KEY, (await web.redis.get(KEYS.bootstrapPin(id)))!, id), pinBefore);
  const jobs = (await web.queue.getJobs(['waiting', 'delayed'])).filter((j) => j.id === `bs-${sim.callSid}`);
  assert.equal(jobs.length, 1);
  assert.match(first.body, /Your PIN is/);
});

test('status callback clears call state but never the queued bootstrap', async () => {
  const sim = web.sim();
  await sim.dial();
  await sim.press('07400123456');
  await sim.press('1');
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 1);
  assert.equal(await sim.hangup(), 204);
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 0);
  assert.ok(await web.queue.getJob(`bs-${sim.callSid}`));
});

test('the fallback route always answers safe TwiML', async () => {
  const res = await web.sim().send(`${TEST_BASE}/voice/fallback`, { ErrorCode: '11205' });
  assert.equal(res.status, 200);
  assert.match(res.body, /<Say[^>]*>Sorry, something went wrong on our side\..*<\/Say><Hangup\/><\/Response>$/);
});
