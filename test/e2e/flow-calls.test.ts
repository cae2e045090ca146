import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CallSimulator } from '../../src/console/simulator/call.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// Whole calls through the simulator: signed webhooks into the web stack, a real Redis, the
// worker sending the code SMS and the push through a real (loopback) SMSC.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-flow}' });
  worker = await workerStack(redis.url, { prefix: '{t-flow}' });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

const call = (from = '+447400000001') => web.sim({ from, inbox: devSmscInbox(worker.smsc) });
const PIN = /PIN is (\d \d \d, \d \d \d)\./;

/** Binary submit_sm (the push) the SMSC got for a number; text SMS are the codes. */
const pushesTo = (digits: string) =>
  worker.smsc.received.filter((r) => r.destinationAddr === digits && r.text === undefined);

test('happy path: number, code from the SMSC, PIN, push delivered while holding, PIN repeated, goodbye', async () => {
  const sim = call();
  assert.equal((await sim.dial()).gather?.numDigits, 1);
  assert.match((await sim.press('1')).says[0]!, /^Welcome to device setup\./);
  assert.equal(
    (await sim.press('07400111222')).says[0],
    'You entered 0 7 4 0 0, 1 1 1 2 2 2. If that is correct, press 1. To enter it again, press 2.',
  );
  assert.deepEqual((await sim.press('1')).says[0], 'We have sent a text message with a 6-digit code to that phone.');
  const code = await sim.waitForCode({ to: '+447400111222' });
  const [sms] = await sim.texts();
  assert.deepEqual(sms, { to: '+447400111222', text: `Your bootline code is ${code}. It expires in 5 minutes.` });
  assert.equal(worker.smsc.received.find((r) => r.text?.includes(code))?.dataCoding, 0x00, 'GSM 7-bit text SMS');

  const t = await sim.press(code);
  const pin = PIN.exec(t.says[0]!)?.[1];
  assert.ok(pin, t.says[0]);
  assert.deepEqual(t.says.slice(1), [
    'Please hold while we send the settings to your phone.',
    'The settings have been sent to your phone.',
    `Open the message with the settings and enter your PIN, ${pin}. To hear the PIN again, press 1. To finish, press 2.`,
  ]);
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'delivered');
  assert.ok(pushesTo('447400111222').length >= 2, 'the push reached the SMSC');
  assert.equal((await sim.press('1')).says[0], `Your PIN is ${pin}.`);
  const bye = await sim.press('2');
  assert.deepEqual(bye.says, ['Thank you for calling. Goodbye.']);
  assert.ok(bye.hungUp);
  assert.equal(await sim.hangup(), 204);
});

test('wrong code three times: polite goodbye, and no push is ever sent', async () => {
  const sim = call();
  await sim.dial();
  await sim.press('1');
  await sim.press('07400111333');
  await sim.press('1');
  const code = await sim.waitForCode({ to: '+447400111333' });
  const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
  assert.equal((await sim.press(wrong(1))).says[0], 'Sorry, that code is not right.');
  assert.equal((await sim.press(wrong(2))).says[0], 'Sorry, that code is not right.');
  const t = await sim.press(wrong(3));
  assert.deepEqual(t.says, ['Sorry, we could not verify that number. Please call again later. Goodbye.']);
  assert.ok(t.hungUp);
  // A push is queued while its webhook is answered: with no job and no record now, none follows.
  assert.equal(await web.queue.getJob(`bs-${sim.callSid}`), undefined, 'no push queued');
  assert.equal(await web.store.get(`bs-${sim.callSid}`), null);
  assert.equal(pushesTo('447400111333').length, 0);
});

test('silence: the language menu falls back to English, the number prompt gives up after three tries', async () => {
  const sim = call();
  await sim.dial();
  assert.deepEqual((await sim.silence()).says, [
    'Sorry, I did not hear a key.',
    'For English, press 1.',
    'Para español, oprima 2.',
  ]);
  await sim.silence();
  assert.match((await sim.silence()).says[0]!, /^Welcome to device setup\./, 'third silence: carry on in English');
  assert.equal((await sim.silence()).says[0], 'Sorry, I did not hear any keys.');
  await sim.silence();
  const t = await sim.silence();
  assert.deepEqual(t.says, ['Sorry, we could not get a number we can use. Please call again later. Goodbye.']);
  assert.ok(t.hungUp);
  assert.equal((await sim.texts()).length, 0, 'no SMS for a call that never gave a number');
});

test('invalid number, then re-entry at the confirmation: the code goes only to the final number', async () => {
  const sim = call();
  await sim.dial();
  await sim.press('1');
  assert.equal((await sim.press('0740')).says[0], 'Sorry, that is not a phone number I recognise.');
  assert.equal(
    (await sim.press('02079460000')).says[0],
    'Sorry, that is not a mobile number. Settings can only be sent to a mobile phone.',
  );
  await sim.press('07400111444');
  assert.match((await sim.press('2')).says[0]!, /^Please key in the mobile number/);
  assert.match((await sim.press('*34612345678')).says[0]!, /^You entered 6 1 2, 3 4, 5 6, 7 8\./);
  await sim.press('1');
  const code = await sim.waitForCode({ to: '+34612345678' });
  assert.deepEqual(
    (await sim.texts()).map((s) => s.to),
    ['+34612345678'],
  );
  const t = await sim.press(code);
  assert.ok(PIN.test(t.says[0]!));
  await waitFor('push to the re-entered number', () => pushesTo('34612345678').length > 0);
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.msisdn, '+34612345678');
});

test('language switch: Spanish prompts, Spanish voice and a Spanish code SMS', async () => {
  const sim = call();
  await sim.dial();
  const t = await sim.press('2');
  assert.match(t.says[0]!, /^Bienvenido a la configuración de dispositivos\./);
  assert.ok(
    t.verbs
      .flatMap((v) => [v, ...v.children])
      .filter((v) => v.verb === 'Say')
      .every((v) => v.attrs.voice === 'Polly.Lucia-Neural' && v.attrs.language === 'es-ES'),
  );
  assert.equal(
    (await sim.press('07400111555')).says[0],
    'Ha marcado 0 7 4 0 0, 1 1 1 5 5 5. Si es correcto, oprima 1. Para marcarlo de nuevo, oprima 2.',
  );
  await sim.press('1');
  const code = await sim.waitForCode({ to: '+447400111555' });
  assert.equal((await sim.texts())[0]?.text, `Su código de bootline es ${code}. Caduca en 5 minutos.`);
  const done = await sim.press(code);
  assert.match(done.says[0]!, /^Su PIN es \d \d \d, \d \d \d\./);
  assert.match(done.says.at(-1)!, /^Abra el mensaje con la configuración/);
});

test('an A-attested caller typing their own number skips the code (no SMS) and gets the push', async () => {
  const sim = web.sim({
    from: '+447400111666',
    extra: { StirVerstat: 'TN-Validation-Passed-A' },
    inbox: devSmscInbox(worker.smsc),
  });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400111666');
  const t = await sim.press('1');
  assert.ok(PIN.test(t.says[0]!), t.says[0]);
  assert.equal((await sim.texts()).length, 0);
  const b = web.sim({
    from: '+447400111666',
    extra: { StirVerstat: 'TN-Validation-Passed-B' },
    inbox: devSmscInbox(worker.smsc),
  });
  await b.dial();
  await b.press('1');
  await b.press('07400111666');
  assert.equal(
    (await b.press('1')).says[0],
    'We have sent a text message with a 6-digit code to that phone.',
    'B attestation is not enough',
  );
  await b.waitForCode({ to: '+447400111666' });
});

async function toConfirm(sim: CallSimulator, number: string): Promise<void> {
  await sim.dial();
  await sim.press('1');
  await sim.press(number);
}

test('a caller who hangs up after the push was queued cancels nothing', async () => {
  const sim = call();
  await toConfirm(sim, '07400111777');
  await sim.press('1');
  const pending = sim.press(await sim.waitForCode({ to: '+447400111777' })); // the caller is holding...
  await waitFor('push queued', async () => (await web.store.get(`bs-${sim.callSid}`)) !== null);
  assert.equal(await sim.hangup(), 204); // ...and hangs up
  await pending;
  await waitFor(
    'push delivered anyway',
    async () => (await web.store.get(`bs-${sim.callSid}`))?.status === 'delivered',
  );
});
