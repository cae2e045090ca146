import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS } from '../../src/platform/redis/keys.js';
import { openTextSms } from '../../src/deliveries/text-sms.js';
import type { CallSimulator } from '../../src/console/simulator/call.js';
import { parseFlow } from '../../src/voice/load.js';
import { otpSmsId } from '../../src/voice/otp.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { flowFixture } from '../helpers/flow-fixtures.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE, TEST_KEY, webStack, type WebStack } from '../helpers/stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-steps}' });
  await web.ready();
});
after(async () => {
  await web.close();
  await redis.stop();
});

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const EN = '<Say voice="Polly.Amy-Neural" language="en-GB">';
const fixture = (name: string) => flowFixture('good', name).text;

/** The code SMS as queued for the worker: sealed in the job, opened here with the test key. */
async function queuedCode(w: WebStack, callSid: string, n = 1): Promise<string> {
  const id = otpSmsId(callSid, n);
  const job = await w.smsQueue.getJob(id);
  assert.ok(job, `SMS job ${id} queued`);
  const sms = openTextSms(TEST_KEY, id, job.data);
  const code = /(\d{6})/.exec(sms?.text ?? '')?.[1];
  assert.ok(code, `code in ${sms?.text}`);
  return code;
}

async function toCode(sim: CallSimulator): Promise<void> {
  await sim.dial();
  await sim.press('1');
  await sim.press('07400123456');
  await sim.press('1');
}

test('confirming sends a code SMS (sealed in the queue, sealed in Redis) and asks for it (exact TwiML)', async () => {
  const sim = web.sim();
  await sim.dial();
  await sim.press('1');
  await sim.press('07400123456');
  const res = await sim.send(sim.turn!.gather!.action, { Digits: '1' });
  assert.equal(
    res.body,
    `${XML}<Response>${EN}We have sent a text message with a 6-digit code to that phone.</Say>` +
      `<Gather action="${TEST_BASE}/voice/input?step=code&amp;t=3" method="POST" input="dtmf" numDigits="6" finishOnKey="#" timeout="10" actionOnEmptyResult="true">` +
      `${EN}Please key in the 6-digit code from the text message. To get a new code, press star, then pound.</Say></Gather></Response>`,
  );
  const code = await queuedCode(web, sim.callSid);
  const job = await web.smsQueue.getJob(otpSmsId(sim.callSid, 1));
  assert.deepEqual(openTextSms(TEST_KEY, job!.id!, job!.data), {
    to: '+447400123456',
    text: `Your bootline code is ${code}. It expires in 5 minutes.`,
  });
  assert.ok(!JSON.stringify(job!.data).includes(code), 'no code in clear in the job');
  const stored = await web.redis.get(`bl:otp:{${sim.callSid}}:code`);
  assert.ok(stored && !stored.includes(code), 'no code in clear in Redis');
  const ttl = await web.redis.ttl(`bl:otp:{${sim.callSid}}:code`);
  assert.ok(ttl > 290 && ttl <= 300, `5-minute expiry, got ${ttl}`);
  assert.ok(!(await web.redis.get(KEYS.call(sim.callSid)))!.includes(code), 'no code in the call state');
});

test('three wrong codes end the call; the code is destroyed', async () => {
  const sim = web.sim();
  await toCode(sim);
  const code = await queuedCode(web, sim.callSid);
  const wrong = code === '000000' ? '111111' : '000000';
  assert.deepEqual((await sim.press(wrong)).says, [
    'Sorry, that code is not right.',
    'Please key in the 6-digit code from the text message. To get a new code, press star, then pound.',
  ]);
  await sim.press(wrong);
  const t = await sim.press(code === '222222' ? '333333' : '222222');
  assert.deepEqual(t.says, ['Sorry, we could not verify that number. Please call again later. Goodbye.']);
  assert.ok(t.hungUp);
  assert.equal(await web.redis.exists(`bl:otp:{${sim.callSid}}:code`), 0);
  assert.equal(await web.queue.getJob(`bs-${sim.callSid}`), undefined, 'nothing queued');
});

test('one resend: * sends a new code (the old one stops working), a second * goes to an agent', async () => {
  const sim = web.sim();
  await toCode(sim);
  const first = await queuedCode(web, sim.callSid, 1);
  let t = await sim.press('*');
  assert.equal(t.says[0], 'We have sent a text message with a 6-digit code to that phone.');
  const second = await queuedCode(web, sim.callSid, 2);
  if (first !== second) {
    t = await sim.press(first);
    assert.equal(t.says[0], 'Sorry, that code is not right.');
  }
  t = await sim.press('*');
  assert.deepEqual(t.says, [
    'Sorry, we cannot send another code on this call.',
    'Please hold while we connect you to an agent.',
  ]);
  assert.equal(t.transfer?.target, 'support');
  assert.equal(await web.smsQueue.getJob(otpSmsId(sim.callSid, 3)), undefined, 'never a third SMS');
});

test('an expired code is replaced by a new one if the call has its resend left', async () => {
  const sim = web.sim();
  await toCode(sim);
  await queuedCode(web, sim.callSid, 1);
  await web.redis.del(`bl:otp:{${sim.callSid}}:code`); // what Redis does after 5 minutes
  const t = await sim.press('123456');
  assert.deepEqual(t.says.slice(0, 2), [
    'That code has expired.',
    'We have sent a text message with a 6-digit code to that phone.',
  ]);
  const code = await queuedCode(web, sim.callSid, 2);
  assert.match((await sim.press(code)).says[0]!, /^Your PIN is \d \d \d, \d \d \d\./);
});

test('0 at any input step goes to an agent (exact TwiML); the agent leg ending without an agent says sorry', async () => {
  for (const reach of [
    (s: CallSimulator) => s.dial(),
    async (s: CallSimulator) => {
      await s.dial();
      await s.press('1');
    },
    toCode,
  ]) {
    const sim = web.sim();
    await reach(sim);
    const action = new URL(sim.turn!.gather!.action);
    const step = action.searchParams.get('step')!;
    const turn = Number(action.searchParams.get('t')) + 1; // the keys were processed: the next turn
    const res = await sim.send(sim.turn!.gather!.action, { Digits: '0' });
    assert.equal(
      res.body,
      `${XML}<Response>${EN}Please hold while we connect you to an agent.</Say>` +
        `<Enqueue action="${TEST_BASE}/voice/input?step=agent&amp;t=${turn}" method="POST">support</Enqueue></Response>`,
      step,
    );
    const state = JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as { prevStep: string; reason: string };
    assert.deepEqual([state.prevStep, state.reason], [step, 'caller-request']);
  }
  const sim = web.sim();
  await sim.dial();
  await sim.press('0');
  assert.deepEqual((await sim.endTransfer('hangup')).says, [
    'Sorry, no agent is available right now. Please call again later. Goodbye.',
  ]);
  const served = web.sim();
  await served.dial();
  await served.press('0');
  const done = await served.endTransfer('bridged');
  assert.deepEqual(
    [done.says, done.verbs.map((v) => v.verb)],
    [[], ['Hangup']],
    'an agent took the call: just hang up',
  );
});

test('TaskRouter and SIP agents: <Task> carries masked context, <Dial><Sip> (exact TwiML)', async () => {
  const w = webStack(redis.url, {
    prefix: '{t-steps2}',
    flows: FlowRegistry.of(
      parseFlow('tr.yaml', fixture('taskrouter-agent.yaml')),
      parseFlow('sip.yaml', fixture('dial-sip-attested-skip.yaml')),
    ),
  });
  await w.ready();
  try {
    const sim = w.sim();
    await sim.dial('/voice/incoming?flow=fixture-taskrouter');
    await sim.press('1');
    await sim.press('07400123456');
    const res = await sim.send(sim.turn!.gather!.action, { Digits: '0' });
    const task = {
      maskedNumber: '+44*******456',
      language: 'en',
      reason: 'caller-request',
      lastStep: 'confirm',
      bootstrapId: null,
      verified: false,
      bootstrapStatus: null,
      callSid: sim.callSid,
    };
    assert.equal(
      res.body,
      `${XML}<Response><Say voice="Polly.Joanna-Neural" language="en-US">Connecting you to an agent.</Say>` +
        `<Enqueue action="${TEST_BASE}/voice/input?step=agent&amp;t=3" method="POST" workflowSid="WW0123456789abcdef0123456789abcdef"><Task>${JSON.stringify(task)}</Task></Enqueue></Response>`,
    );

    const sip = w.sim();
    await sip.dial('/voice/incoming?flow=fixture-sip');
    const t = await sip.send(sip.turn!.gather!.action, { Digits: '0' });
    assert.equal(
      t.body,
      `${XML}<Response><Say voice="Polly.Joanna-Neural" language="en-US">Connecting you to an agent.</Say>` +
        `<Dial action="${TEST_BASE}/voice/input?step=agent&amp;t=1" method="POST" timeout="25"><Sip>sip:agents@pbx.example.com</Sip></Dial></Response>`,
    );
  } finally {
    await w.close();
  }
});

test('wait-for-delivery answers Pause + Redirect while the push is queued, the hold prompt only once (exact TwiML)', async () => {
  const sim = web.sim({ from: '+447400123456', extra: { StirVerstat: 'TN-Validation-Passed-A' }, maxRedirects: 0 });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400123456');
  const entering = Date.now();
  await sim.press('1');
  assert.ok(sim.turn?.redirect, 'stopped at the poll redirect');
  assert.equal(sim.turn.says.at(-1), 'Please hold while we send the settings to your phone.');
  const polling = Date.now();
  const poll = await sim.send(sim.turn.redirect, {});
  assert.equal(
    poll.body,
    `${XML}<Response><Pause length="3"/><Redirect method="POST">${TEST_BASE}/voice/input?step=wait&amp;t=4</Redirect></Response>`,
  );
  const state = JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as {
    step: string;
    since: Record<string, number>;
  };
  assert.equal(state.step, 'wait');
  const since = state.since.wait!;
  assert.ok(since >= entering && since <= polling, 'the wait started when the step was first entered, not at the poll');
});

test('a webhook for a call we have no state for restarts it, saying so (exact TwiML)', async () => {
  const sim = web.sim();
  const res = await sim.send(`${TEST_BASE}/voice/input?step=code&t=4`, { Digits: '123456' });
  assert.equal(res.status, 200);
  assert.equal(
    res.body,
    `${XML}<Response>${EN}Sorry, we lost track of your call. Let's start again.</Say>` +
      `<Gather action="${TEST_BASE}/voice/input?step=language&amp;t=0" method="POST" input="dtmf" numDigits="1" timeout="6" actionOnEmptyResult="true">` +
      `${EN}For English, press 1.</Say><Say voice="Polly.Lucia-Neural" language="es-ES">Para español, oprima 2.</Say></Gather></Response>`,
  );
  assert.equal(await web.redis.exists(KEYS.call(sim.callSid)), 1);
});

test('a call whose flow revision is gone everywhere continues on the current version, or restarts if its step is gone', async () => {
  const sim = web.sim();
  await sim.dial();
  await sim.press('1');
  const state = JSON.parse((await web.redis.get(KEYS.call(sim.callSid)))!) as Record<string, unknown>;
  await web.redis.set(KEYS.call(sim.callSid), JSON.stringify({ ...state, revision: 'ffffffffffffffff' }));
  assert.match((await sim.silence()).says[0]!, /^Sorry, I did not hear any keys\./, 'same step on the current version');
  await web.redis.set(
    KEYS.call(sim.callSid),
    JSON.stringify({ ...state, revision: 'ffffffffffffffff', step: 'removedStep' }),
  );
  const t = await sim.send(`${TEST_BASE}/voice/input?step=removedStep&t=${state.seq}`, { Digits: '1' });
  assert.match(t.body, /Sorry, we lost track of your call/);
});
