import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import twilio from 'twilio';
import { KEYS } from '../../src/platform/redis/keys.js';
import { webhookRefusals } from '../../src/platform/metrics.js';
import { unseal } from '../../src/platform/seal.js';
import { newCallSid, type CallSimulator } from '../../src/console/simulator/call.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE, TEST_KEY, TEST_TOKEN, webStack, type WebStack } from '../helpers/stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-voice}' });
  await web.ready();
});
after(async () => {
  await web.close();
  await redis.stop();
});

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const EN = '<Say voice="Polly.Amy-Neural" language="en-GB">';
const ES = '<Say voice="Polly.Lucia-Neural" language="es-ES">';
/** Action URLs carry the step and the call's turn `t` (signed with the URL: a replayed old turn is stale). */
const gather = (step: string, attrs: string, t: number) =>
  `<Gather action="${TEST_BASE}/voice/input?step=${step}&amp;t=${t}" method="POST" input="dtmf" ${attrs} actionOnEmptyResult="true">`;
const stepOf = (url: string | undefined) => (url ? new URL(url).searchParams.get('step') : null);
const LANGUAGE_MENU = `${gather('language', 'numDigits="1" timeout="6"', 0)}${EN}For English, press 1.</Say>${ES}Para español, oprima 2.</Say></Gather>`;
const AGENT = `${EN}Please hold while we connect you to an agent.</Say><Enqueue action="${TEST_BASE}/voice/input?step=agent&amp;t=0" method="POST">support</Enqueue>`;
/** A caller whose caller ID is the number typed, with SHAKEN/STIR A attestation: no code needed. */
const ATTESTED = { from: '+447400123456', extra: { StirVerstat: 'TN-Validation-Passed-A' } };

async function inEnglish(sim: CallSimulator): Promise<void> {
  await sim.dial();
  await sim.press('1');
}

test('health and readiness', async () => {
  assert.deepEqual((await request(web.app).get('/healthz')).body, { status: 'ok' });
  const ready = await request(web.app).get('/readyz');
  // No worker runs beside this web: the pipeline is reported, the web still takes calls (200).
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, {
    status: 'degraded',
    checks: { redis: true, queue: true },
    pipeline: { ok: false, workers: 0, binds: 0, bound: 0 },
  });
});

test('an incoming call hears the language menu, each language in its own voice (exact TwiML)', async () => {
  const res = await web.sim().send(`${TEST_BASE}/voice/incoming`, {});
  assert.equal(res.status, 200);
  assert.equal(res.body, `${XML}<Response>${LANGUAGE_MENU}</Response>`);
});

test('every new call hears the same first turn (rendered once per flow revision) and gets state of its own', async () => {
  const a = web.sim();
  const b = web.sim();
  assert.equal((await a.send(`${TEST_BASE}/voice/incoming`, {})).body, `${XML}<Response>${LANGUAGE_MENU}</Response>`);
  await a.send(`${TEST_BASE}/voice/input?step=language&t=0`, { Digits: '7' }); // a wrong key: one try on call a only
  assert.equal((await b.send(`${TEST_BASE}/voice/incoming`, {})).body, `${XML}<Response>${LANGUAGE_MENU}</Response>`);
  const state = async (sim: CallSimulator) =>
    JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as {
      callSid: string;
      step: string;
      attempts: Record<string, number>;
    };
  assert.deepEqual([(await state(a)).attempts, (await state(b)).attempts], [{ language: 1 }, {}]);
  assert.equal((await state(b)).callSid, b.callSid);
  assert.equal((await state(b)).step, 'language');
});

test('choosing English: welcome, then the number prompt nested in a # Gather (exact TwiML)', async () => {
  const sim = web.sim();
  await sim.dial();
  const res = await sim.send(`${TEST_BASE}/voice/input?step=language&t=0`, { Digits: '1' });
  assert.equal(
    res.body,
    `${XML}<Response>${EN}Welcome to device setup. We will send your new phone its settings. At any time, press 0 to speak to an agent.</Say>` +
      `${gather('number', 'finishOnKey="#" timeout="8"', 1)}${EN}Please key in the mobile number of the phone you want to set up, then press the pound key. ` +
      'For a number abroad, press star, then the country code.</Say></Gather></Response>',
  );
});

test('unsigned and tampered webhooks get 403, change nothing and are counted', async () => {
  const counted = async () =>
    (await webhookRefusals.get()).values.find((v) => v.labels.reason === 'signature')?.value ?? 0;
  const before = await counted();
  const callSid = newCallSid();
  const params = { CallSid: callSid, From: '+447400000001', To: '+448000000000' };
  const unsigned = await request(web.app).post('/voice/incoming').type('form').send(params);
  assert.equal(unsigned.status, 403);
  const sig = twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/incoming`, params);
  const tampered = await request(web.app)
    .post('/voice/incoming')
    .set('X-Twilio-Signature', sig)
    .type('form')
    .send({ ...params, From: '+447400000002' });
  assert.equal(tampered.status, 403);
  for (const path of ['/voice/input?step=number&t=1', '/voice/status', '/voice/fallback']) {
    assert.equal((await request(web.app).post(path).type('form').send(params)).status, 403, path);
  }
  assert.equal(await web.redis.exists(KEYS.call(callSid)), 0);
  assert.equal((await counted()) - before, 5, 'bootline_webhook_refusals_total{reason="signature"}');
});

test('an oversized body is refused with 413 before anything else', async () => {
  const res = await request(web.app)
    .post('/voice/incoming')
    .type('form')
    .send(`CallSid=CA${'0'.repeat(32)}&Pad=${'x'.repeat(20_000)}`);
  assert.equal(res.status, 413);
});

test('webhooks are answered before Express; other methods and paths under /voice go on to the app', async () => {
  const signed = (params: Record<string, string>) =>
    twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/incoming`, params);
  const params = { CallSid: newCallSid(), From: '+447400000001', To: '+448000000000' };
  const first = await request(web.app)
    .post('/voice/incoming')
    .set('X-Twilio-Signature', signed(params))
    .type('form')
    .send(params);
  assert.equal(first.status, 200);
  assert.match(first.text, /For English, press 1/);
  assert.equal(first.headers['content-type'], 'text/xml; charset=utf-8');
  // No browser headers: Express's layers (helmet among them) never saw the webhook…
  assert.equal(first.headers['content-security-policy'], undefined);
  assert.ok((await request(web.app).get('/healthz')).headers['content-security-policy']);
  // …while what is not one of Twilio's webhooks still gets Express's JSON answers.
  for (const r of [
    await request(web.app).get('/voice/incoming'),
    await request(web.app).post('/voice/nowhere').type('form').send({}),
  ]) {
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
  }
  // A body that is not a form is no webhook: its signature cannot match (403), nothing is stored.
  const callSid = newCallSid();
  const json = await request(web.app)
    .post('/voice/incoming')
    .set('X-Twilio-Signature', signed({ CallSid: callSid }))
    .send({ CallSid: callSid });
  assert.equal(json.status, 403);
  assert.equal(await web.redis.exists(KEYS.call(callSid)), 0);
});

test('a signed request without a valid CallSid is a 400 with a reason', async () => {
  const res = await web.sim({ callSid: 'not-a-sid' }).send(`${TEST_BASE}/voice/incoming`, {});
  assert.equal(res.status, 400);
  assert.match(res.body, /CallSid/);
});

test('silence and wrong numbers get specific spoken retries, then the give-up branch', async () => {
  const sim = web.sim();
  await inEnglish(sim);
  let t = await sim.silence();
  assert.equal(t.says[0], 'Sorry, I did not hear any keys.');
  assert.equal(stepOf(t.gather?.action), 'number');
  t = await sim.press('0033612345678'); // a French mobile: valid, but not an allowed country
  assert.equal(t.says[0], 'Sorry, we can only set up phones with a UK or Spanish number.');
  t = await sim.press('02079460000'); // third try: a London landline
  assert.deepEqual(t.says, ['Sorry, we could not get a number we can use. Please call again later. Goodbye.']);
  assert.ok(t.hungUp);
  assert.ok(t.verbs.some((v) => v.verb === 'Hangup'));

  const other = web.sim();
  await inEnglish(other);
  assert.equal((await other.press('12')).says[0], 'Sorry, that is not a phone number I recognise.');
  assert.equal(
    (await other.press('09098790000')).says[0],
    'Sorry, that is not a mobile number. Settings can only be sent to a mobile phone.',
  ); // premium rate
});

test('odd Digits values at every input step get a retry, never a 5xx', async () => {
  const odd = ['', '9'.repeat(200), '*#*#', '<Say>x</Say>', 'abc', '0740012345６', '1; DROP'];
  const reach: Record<string, (sim: CallSimulator) => Promise<unknown>> = {
    language: (sim) => sim.dial(),
    number: (sim) => inEnglish(sim),
    confirm: async (sim) => {
      await inEnglish(sim);
      await sim.press('07400123456');
    },
    code: async (sim) => {
      await inEnglish(sim);
      await sim.press('07400123456');
      await sim.press('1');
    },
  };
  for (const [step, go] of Object.entries(reach)) {
    for (const digits of odd) {
      const sim = web.sim();
      await go(sim);
      assert.equal(stepOf(sim.turn?.gather?.action), step);
      const t = await sim.press(digits);
      assert.equal(t.status, 200, `${step} ${JSON.stringify(digits)}`);
      assert.equal(stepOf(t.gather?.action), step, `still asking at ${step} after ${JSON.stringify(digits)}`);
    }
  }
  // Digits sent as a repeated field (an array) are not a string: treated as invalid keys.
  const sim = web.sim();
  await inEnglish(sim);
  const res = await request(web.app)
    .post('/voice/input?step=number&t=1')
    .set(
      'X-Twilio-Signature',
      twilio.getExpectedTwilioSignature(TEST_TOKEN, `${TEST_BASE}/voice/input?step=number&t=1`, {
        CallSid: sim.callSid,
        Digits: ['1', '2'] as unknown as string,
      }),
    )
    .type('form')
    .send(`CallSid=${sim.callSid}&Digits=1&Digits=2`);
  assert.equal(res.status, 200);
  assert.match(res.text, /not a phone number I recognise/);
});

test('the number is read back digit by digit with SSML say-as, grouped as written nationally (exact TwiML)', async () => {
  const sim = web.sim();
  await inEnglish(sim);
  const res = await sim.send(sim.turn!.gather!.action, { Digits: '07400123456', FinishedOnKey: '#' });
  assert.equal(
    res.body,
    `${XML}<Response>${gather('confirm', 'numDigits="1" timeout="6"', 2)}${EN}You entered ` +
      '<say-as interpret-as="digits">07400</say-as><break strength="medium"/><say-as interpret-as="digits">123456</say-as>' +
      '. If that is correct, press 1. To enter it again, press 2.</Say></Gather></Response>',
  );
  const other = web.sim(); // what the simulator (a caller) hears
  await inEnglish(other);
  assert.deepEqual((await other.press('07400123456')).says, [
    'You entered 0 7 4 0 0, 1 2 3 4 5 6. If that is correct, press 1. To enter it again, press 2.',
  ]);
});

test('international entry with * or 00 is normalised to E.164; 2 re-enters', async () => {
  for (const typed of ['*447400123456', '00447400123456', '0034612345678']) {
    const sim = web.sim();
    await inEnglish(sim);
    const t = await sim.press(typed);
    assert.match(t.says[0]!, /^You entered /, typed);
    const state = JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as { msisdn: string };
    assert.equal(state.msisdn, typed === '0034612345678' ? '+34612345678' : '+447400123456');
    assert.match((await sim.press('2')).says[0]!, /^Please key in the mobile number/);
  }
});

test('an attested caller skips the code, hears the PIN, and the push is queued once even if webhooks are replayed', async () => {
  const sim = web.sim({ ...ATTESTED, maxRedirects: 0 });
  await inEnglish(sim);
  await sim.press('07400123456');
  const confirmUrl = sim.turn!.gather!.action;
  const first = await sim.send(confirmUrl, { Digits: '1' });
  const m =
    /Your PIN is <say-as interpret-as="digits">(\d{3})<\/say-as><break strength="medium"\/><say-as interpret-as="digits">(\d{3})<\/say-as>\./.exec(
      first.body,
    );
  assert.ok(m, first.body);
  const pin = m[1]! + m[2]!;
  assert.match(
    first.body,
    /Please hold while we send the settings to your phone\.<\/Say><Pause length="3"\/><Redirect method="POST">https:\/\/hotline\.example\.com\/voice\/input\?step=wait&amp;t=3<\/Redirect><\/Response>$/,
  );

  const id = `bs-${sim.callSid}`;
  const replay = await sim.send(confirmUrl, { Digits: '1' }); // Twilio retry / replay of the same request
  assert.equal(replay.body, first.body, 'the first answer again (the same PIN), nothing run twice');
  assert.match(confirmUrl, /&t=2$/);
  const again = await sim.send(confirmUrl.replace(/t=2$/, 't=1'), { Digits: '1' }); // an older turn of the step
  assert.equal(again.status, 200);
  assert.doesNotMatch(again.body, /Your PIN is/);
  assert.match(
    again.body,
    /<Redirect method="POST">[^<]*step=wait&amp;t=3<\/Redirect>/,
    'answers where the call is: still waiting',
  );
  assert.equal(unseal(TEST_KEY, (await web.redis.get(KEYS.bootstrapPin(id)))!, id), pin, 'PIN not re-rolled');
  const job = await web.queue.getJob(id);
  assert.deepEqual(job?.data, { bootstrapId: id }, 'job data carries no number, PIN or key');
  assert.equal((await web.queue.getJobs(['waiting', 'delayed'])).filter((j) => j.id === id).length, 1);
  const rec = await web.store.get(id);
  assert.equal(rec?.msisdn, '+447400123456');
  assert.equal(rec?.status, 'queued');
});

test('status callback clears call state and codes but never the queued bootstrap', async () => {
  const sim = web.sim({ ...ATTESTED, maxRedirects: 0 });
  await inEnglish(sim);
  await sim.press('07400123456');
  await sim.press('1');
  await web.redis.hset(`bl:otp:{${sim.callSid}}`, 'sends', 1); // as if a code had been sent earlier
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 1);
  assert.equal(await sim.hangup(), 204);
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 0);
  assert.equal(await web.redis.exists(`bl:otp:{${sim.callSid}}`), 0);
  assert.ok(await web.queue.getJob(`bs-${sim.callSid}`));
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'queued');
});

test('the fallback route answers the flow apology, then the agent (exact TwiML), in the call language', async () => {
  const res = await web.sim().send(`${TEST_BASE}/voice/fallback`, { ErrorCode: '11205' });
  assert.equal(res.status, 200);
  assert.equal(res.body, `${XML}<Response>${EN}Sorry, something went wrong on our side.</Say>${AGENT}</Response>`);

  const sim = web.sim();
  await sim.dial();
  await sim.press('2'); // Spanish
  const es = await sim.send(`${TEST_BASE}/voice/fallback`, { ErrorCode: '11200' });
  assert.equal(
    es.body,
    `${XML}<Response>${ES}Perdone, algo ha fallado por nuestra parte.</Say>${ES}Espere un momento mientras le pasamos con un agente.</Say>` +
      `<Enqueue action="${TEST_BASE}/voice/input?step=agent&amp;t=1" method="POST">support</Enqueue></Response>`,
  );
  const state = JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as { step: string; reason: string };
  assert.deepEqual([state.step, state.reason], ['agent', 'error'], 'the Enqueue action returns to the agent step');
});

test('a failure inside the engine (unreadable call state) still answers 200 with the apology and agent', async () => {
  const sim = web.sim();
  await sim.dial();
  await web.redis.set(KEYS.call(sim.callSid), '{not json');
  const t = await sim.press('1');
  assert.equal(t.status, 200);
  assert.deepEqual(t.says, [
    'Sorry, something went wrong on our side.',
    'Please hold while we connect you to an agent.',
  ]);
  assert.equal(t.transfer?.target, 'support');
});
