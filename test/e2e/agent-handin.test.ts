import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { KEYS } from '../../src/platform/redis/keys.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { AGENT_TOKEN, agentStack, type AgentStack } from '../helpers/agent-stack.js';
import { flowFixture } from '../helpers/flow-fixtures.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// A support agent hands a caller into the flow through Twilio's REST API (the local
// stand-in, reached by the twilio package over HTTP), the caller finishes on their own and
// the push reaches the SMSC; then the caller goes back to the agent.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: AgentStack;
let worker: WorkerStack;
const flowFile = (dir: string, name: string) => readFileSync(join(repoRoot, dir, name), 'utf8');

before(async () => {
  redis = await startTestRedis();
  const flows = FlowRegistry.of(
    parseFlow('bootstrap.yaml', flowFile('voice-flows', 'bootstrap.yaml')),
    parseFlow('agent-escalation.yaml', flowFixture('good', 'agent-escalation.yaml').text),
  );
  s = await agentStack(redis.url, { prefix: '{t-agent}', flows });
  worker = await workerStack(redis.url, { prefix: '{t-agent}' });
  await s.ready();
});
after(async () => {
  await worker.close();
  await s.close();
  await redis.stop();
});

const PIN = /PIN is (\d \d \d, \d \d \d)\./;
const pushesTo = (digits: string) =>
  worker.smsc.received.filter((r) => r.destinationAddr === digits && r.text === undefined);

test('hand-in with a prefilled number: read back, confirm, code, PIN, push at the SMSC, back to the agent', async () => {
  const caller = s.caller({ from: '+447400999000', inbox: devSmscInbox(worker.smsc) });
  const res = await s
    .transfer({
      callSid: caller.callSid,
      flow: 'bootstrap',
      agentId: 'agent-7',
      ticketId: 'T-1001',
      language: 'en',
      number: '+447400111444',
      returnTo: 'sip:agent-7@cc.example.com',
    })
    .expect(201);
  assert.deepEqual(
    [res.body.status, res.body.kind, res.body.prefilled, res.body.callSid],
    ['redirected', 'hand-in', true, caller.callSid],
  );
  assert.ok(!JSON.stringify(res.body).includes('7400111444'), 'the number never comes back in clear');
  await s.twilio.settled(caller.callSid);

  const [update] = s.twilio.updates.filter((u) => u.callSid === caller.callSid);
  const url = new URL(update!.params.Url!);
  assert.deepEqual(
    [url.origin + url.pathname, url.searchParams.get('flow'), update!.params.Method],
    [`${TEST_BASE}/voice/handin`, 'bootstrap', 'POST'],
  );
  assert.ok(!update!.params.Url!.includes('7400111444'), 'the number is not in the URL handed to Twilio');

  // No language menu, no number entry: welcome, then the prefilled number read back.
  assert.match(caller.turn!.says[0]!, /^Welcome to device setup\./);
  assert.equal(
    caller.turn!.says[1],
    'You entered 0 7 4 0 0, 1 1 1 4 4 4. If that is correct, press 1. To enter it again, press 2.',
  );
  assert.equal((await caller.press('1')).says[0], 'We have sent a text message with a 6-digit code to that phone.');
  const code = await caller.waitForCode({ to: '+447400111444' });
  const t = await caller.press(code);
  const pin = PIN.exec(t.says[0]!)?.[1];
  assert.ok(pin, t.says[0]);
  assert.ok(t.says.includes('The settings have been sent to your phone.'), t.says.join(' | '));
  assert.equal((await s.store.get(`bs-${caller.callSid}`))?.status, 'delivered');
  assert.ok(pushesTo('447400111444').length >= 1, 'the push reached the SMSC');

  const back = await caller.press('2');
  assert.deepEqual(back.says, ['Please hold while we put you back through to your agent.']);
  assert.equal(back.transfer?.verb, 'Dial');
  const sip = new URL(back.transfer!.target.replace(/^sip:/, 'sip://'));
  assert.equal(`${sip.username}@${sip.host}`, 'agent-7@cc.example.com');
  assert.deepEqual(Object.fromEntries(sip.searchParams), {
    'X-Bootline-Number': '+44*******444',
    'X-Bootline-Language': 'en',
    'X-Bootline-Reason': 'setup-done',
    'X-Bootline-Last-Step': 'done',
    'X-Bootline-Bootstrap-Id': `bs-${caller.callSid}`,
    'X-Bootline-Verified': 'true',
    'X-Bootline-Bootstrap-Status': 'delivered',
    'X-Bootline-Call-Sid': caller.callSid,
    'X-Bootline-Transfer-Id': res.body.id,
    'X-Bootline-Agent-Id': 'agent-7',
    'X-Bootline-Ticket-Id': 'T-1001',
    'X-Bootline-Return-To-Agent': 'agent-7',
  });

  const view = await request(s.app)
    .get(`/api/agent/transfers/${res.body.id}`)
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(200);
  assert.deepEqual(
    [view.body.status, view.body.bootstrap.status, view.body.bootstrap.to],
    ['in-flow', 'delivered', '+44*******444'],
  );
  assert.equal(view.body.bootstrap.segments.delivered, view.body.bootstrap.segments.total);
  assert.ok(
    !('segmentStates' in view.body.bootstrap) && !JSON.stringify(view.body).includes('smscId'),
    'no SMSC details for agents',
  );
});

test('a caller nobody handed in hears goodbye at the end, not an agent', async () => {
  const sim = s.sim({ from: '+447400999001', extra: { StirVerstat: 'TN-Validation-Passed-A' } });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400999001');
  await sim.press('1');
  const bye = await sim.press('2');
  assert.deepEqual([bye.says, bye.transfer], [['Thank you for calling. Goodbye.'], undefined]);
});

test('replay of a context token is refused (409) and the call carries on where it was', async () => {
  const caller = s.caller();
  await s.transfer({ callSid: caller.callSid, flow: 'bootstrap', language: 'en', number: '07400111555' }).expect(201);
  await s.twilio.settled(caller.callSid);
  const url = s.twilio.updates.find((u) => u.callSid === caller.callSid)!.params.Url!;
  const before = await s.redis.get(KEYS.call(caller.callSid));
  assert.match(JSON.parse(before!).step, /^confirm$/);
  const replay = await caller.send(url, {});
  assert.equal(replay.status, 409);
  assert.equal(JSON.parse(replay.body).error.code, 'AGENT_TOKEN_USED');
  assert.equal(await s.redis.get(KEYS.call(caller.callSid)), before, 'call state untouched');
  assert.equal((await caller.press('1')).says[0], 'We have sent a text message with a 6-digit code to that phone.');

  // The same URL from another call: the token is bound to the customer's CallSid.
  const other = s.sim();
  const stolen = await other.send(url, {});
  assert.deepEqual([stolen.status, JSON.parse(stolen.body).error.code], [403, 'AGENT_TOKEN_INVALID']);
  assert.equal(await s.redis.get(KEYS.call(other.callSid)), null);
});

test('2 at the read-back of a prefilled number: the caller keys in another one, which is verified as usual', async () => {
  const caller = s.caller();
  await s.transfer({ callSid: caller.callSid, language: 'en', number: '+447400111777' }).expect(201);
  await s.twilio.settled(caller.callSid);
  assert.match(caller.turn!.says[1]!, /^You entered 0 7 4 0 0, 1 1 1 7 7 7\./);
  assert.match((await caller.press('2')).says[0]!, /^Please key in the mobile number/, 'the prefill is used once');
  assert.match((await caller.press('07400111888')).says[0]!, /^You entered 0 7 4 0 0, 1 1 1 8 8 8\./);
});

test("a caller who pressed 0 and reached an agent can be handed back in: the flow starts over with the agent's context", async () => {
  const caller = s.caller();
  await caller.dial();
  await caller.press('1');
  const queued = await caller.press('0');
  assert.equal(queued.transfer?.target, 'support');
  await s.transfer({ callSid: caller.callSid, language: 'en', number: '07400111999', agentId: 'agent-2' }).expect(201);
  await s.twilio.settled(caller.callSid);
  assert.match(caller.turn!.says[1]!, /^You entered 0 7 4 0 0, 1 1 1 9 9 9\./);
  const state = JSON.parse((await s.redis.get(KEYS.call(caller.callSid)))!) as {
    step: string;
    reason?: string;
    agent: { agentId: string };
  };
  assert.deepEqual([state.step, state.reason, state.agent.agentId], ['confirm', undefined, 'agent-2']);
});
