import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { AGENT_TOKEN, agentStack, type AgentStack } from '../helpers/agent-stack.js';
import { flowFixture } from '../helpers/flow-fixtures.js';
import { repoRoot } from '../helpers/paths.js';
import { TEST_LIMITS } from '../helpers/stack.js';
import { parseRate } from '../../src/policy/limits.js';
import { startTestRedis } from '../helpers/redis.js';

// Escalation from the flow to a person, with the call's context for the agent, and the
// cold transfer: a code the agent reads out, typed by the caller on a new call.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: AgentStack;
const flowFile = (dir: string, name: string) => readFileSync(join(repoRoot, dir, name), 'utf8');
const WORKFLOW = 'WW0123456789abcdef0123456789abcdef';

before(async () => {
  redis = await startTestRedis();
  const flows = FlowRegistry.of(
    parseFlow('bootstrap.yaml', flowFile('voice-flows', 'bootstrap.yaml')),
    parseFlow('agent-escalation.yaml', flowFixture('good', 'agent-escalation.yaml').text),
    // The same flow escalating to a Twilio Client (softphone) after the last wrong code.
    parseFlow(
      'agent-client.yaml',
      flowFixture('good', 'agent-escalation.yaml')
        .text.replace('id: agent-escalation', 'id: agent-client')
        .replace("dial: { sip: 'sip:agents@pbx.example.com', headers: true }", 'dial: { client: support-desk }'),
    ),
  );
  s = await agentStack(redis.url, { prefix: '{t-agent-esc}', flows });
  await s.ready();
});
after(async () => {
  await s.close();
  await redis.stop();
});

test('three bad numbers: <Enqueue> to the TaskRouter workflow with the task attributes', async () => {
  const sim = s.sim();
  await sim.dial('/voice/incoming?flow=agent-escalation');
  await sim.press('1');
  assert.deepEqual((await sim.press('123')).says, [
    'That is not a mobile number.',
    'Key in the mobile number, then press pound.',
  ]);
  await sim.silence();
  const t = await sim.press('02071234567');
  assert.deepEqual(t.says, ['Connecting you to an agent.']);
  assert.equal(t.transfer?.verb, 'Enqueue');
  assert.equal(t.verbs.at(-1)?.attrs.workflowSid, WORKFLOW);
  assert.deepEqual(t.transfer?.task, {
    maskedNumber: null,
    language: 'en',
    reason: 'max-attempts',
    lastStep: 'number',
    bootstrapId: null,
    verified: false,
    bootstrapStatus: null,
    callSid: sim.callSid,
  });
  assert.deepEqual((await sim.endTransfer('hangup')).says, ['Goodbye.'], "no agent: the step's next");
});

test("a handed-in caller escalating carries the agent's ids in <Task> (in the agent's language)", async () => {
  const caller = s.caller();
  const res = await s
    .transfer({
      callSid: caller.callSid,
      flow: 'agent-escalation',
      agentId: 'agent-3',
      ticketId: 'INC-77',
      language: 'es',
    })
    .expect(201);
  await s.twilio.settled(caller.callSid);
  assert.deepEqual(
    caller.turn!.says,
    ['Marque el número de móvil y oprima numeral.'],
    'hand-in start: the number, in Spanish',
  );
  for (const bad of ['1', '2']) await caller.press(bad);
  const t = await caller.press('3');
  assert.deepEqual(t.transfer?.task, {
    maskedNumber: null,
    language: 'es',
    reason: 'max-attempts',
    lastStep: 'number',
    bootstrapId: null,
    verified: false,
    bootstrapStatus: null,
    callSid: caller.callSid,
    transferId: res.body.id,
    agentId: 'agent-3',
    ticketId: 'INC-77',
  });
});

test('three wrong codes: <Dial><Sip> with the context as X-Bootline-* headers', async () => {
  const sim = s.sim();
  await sim.dial('/voice/incoming?flow=agent-escalation');
  await sim.press('1');
  await sim.press('07400123456');
  await sim.press('1');
  for (const c of ['000001', '000002'])
    assert.deepEqual((await sim.press(c)).says, ['That code is wrong.', 'Key in the code.']);
  const t = await sim.press('000003');
  assert.equal(t.transfer?.verb, 'Dial');
  const uri = t.transfer!.target;
  assert.equal(uri.split('?')[0], 'sip:agents@pbx.example.com');
  assert.deepEqual(
    Object.fromEntries(new URLSearchParams(uri.split('?')[1])),
    {
      'X-Bootline-Number': '+44*******456',
      'X-Bootline-Language': 'en',
      'X-Bootline-Reason': 'max-attempts',
      'X-Bootline-Last-Step': 'code',
      'X-Bootline-Verified': 'false',
      'X-Bootline-Call-Sid': sim.callSid,
    },
    'no bootstrap yet: no Bootstrap-Id header',
  );
  assert.ok(!uri.includes('7400123456'), 'never the number in clear');
});

test('cold transfer: the agent gets a code, the caller dials the hotline, presses 9 and types it', async () => {
  const res = await s
    .transfer({ flow: 'bootstrap', agentId: 'agent-9', language: 'es', number: '07400111666' })
    .expect(201);
  assert.deepEqual([res.body.kind, res.body.status, res.body.callSid], ['code', 'pending', null]);
  assert.match(res.body.code, /^\d{6}$/);
  assert.ok(Date.parse(res.body.codeExpiresAt) > Date.now() + 9 * 60_000, 'valid about 10 minutes');

  const sim = s.sim({ from: '+447400777888' });
  await sim.dial();
  assert.deepEqual((await sim.press('9')).says, ['Please key in the 6-digit transfer code your agent gave you.']);
  const wrong = String((Number(res.body.code) + 1) % 1_000_000).padStart(6, '0');
  assert.deepEqual((await sim.press(wrong)).says, [
    'Sorry, that transfer code is not valid.',
    'Please key in the 6-digit transfer code your agent gave you.',
  ]);
  const t = await sim.press(res.body.code);
  assert.match(t.says[0]!, /^Bienvenido a la configuración de dispositivos\./);
  assert.equal(
    t.says[1],
    'Ha marcado 0 7 4 0 0, 1 1 1 6 6 6. Si es correcto, oprima 1. Para marcarlo de nuevo, oprima 2.',
  );
  const view = await request(s.app)
    .get(`/api/agent/transfers/${res.body.id}`)
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(200);
  assert.deepEqual([view.body.status, view.body.callSid], ['in-flow', sim.callSid]);

  const again = s.sim();
  await again.dial();
  await again.press('9');
  assert.equal((await again.press(res.body.code)).says[0], 'Sorry, that transfer code is not valid.', 'single use');
});

test('a Twilio Client agent gets the context as <Parameter>s', async () => {
  const sim = s.sim();
  await sim.dial('/voice/incoming?flow=agent-client');
  await sim.press('1');
  await sim.press('07400123456');
  await sim.press('1');
  await sim.press('000001');
  await sim.press('000002');
  const t = await sim.press('000003');
  const client = t.verbs.find((v) => v.verb === 'Dial')!.children.find((c) => c.verb === 'Client')!;
  assert.equal(client.children.find((c) => c.verb === 'Identity')?.text, 'support-desk');
  const params = Object.fromEntries(
    client.children.filter((c) => c.verb === 'Parameter').map((p) => [p.attrs.name, p.attrs.value]),
  );
  assert.deepEqual(params, {
    maskedNumber: '+44*******456',
    language: 'en',
    reason: 'max-attempts',
    lastStep: 'code',
    verified: 'false',
    callSid: sim.callSid,
  });
});

test('guessing cold-transfer codes across calls locks the caller out, even from a valid code', async () => {
  const locked = await agentStack(redis.url, {
    prefix: '{t-agent-guess}',
    flows: FlowRegistry.of(parseFlow('bootstrap.yaml', flowFile('voice-flows', 'bootstrap.yaml'))),
    limits: { ...TEST_LIMITS, lockout: parseRate('3/1h') },
  });
  await locked.ready();
  try {
    const res = await locked.transfer({ flow: 'bootstrap', agentId: 'agent-3' }).expect(201);
    const wrong = String((Number(res.body.code) + 7) % 1_000_000).padStart(6, '0');
    for (let call = 0; call < 3; call++) {
      const guesser = locked.sim({ from: '+447400555444' });
      await guesser.dial();
      await guesser.press('9');
      assert.equal((await guesser.press(wrong)).says[0], 'Sorry, that transfer code is not valid.');
    }
    const last = locked.sim({ from: '+447400555444' });
    await last.dial();
    await last.press('9');
    const t = await last.press(res.body.code);
    assert.doesNotMatch(
      t.says.join(' '),
      /Welcome to device setup/,
      'a locked-out caller is not let in, right code or not',
    );
    const view = await request(locked.app)
      .get(`/api/agent/transfers/${res.body.id}`)
      .set('Authorization', `Bearer ${AGENT_TOKEN}`)
      .expect(200);
    assert.equal(view.body.status, 'pending', 'the code was not spent');
  } finally {
    await locked.close();
  }
});
