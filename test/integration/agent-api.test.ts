import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { mintToken, tokenKey } from '../../src/agents/token.js';
import { KEYS } from '../../src/platform/redis/keys.js';
import { newCallSid } from '../../src/console/simulator/call.js';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { AGENT_TOKEN, agentStack, OPERATOR_TOKEN, READONLY_TOKEN, type AgentStack } from '../helpers/agent-stack.js';
import { flowFixture } from '../helpers/flow-fixtures.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_BASE, TEST_KEY } from '../helpers/stack.js';

// Every refusal of the hand-in API and of /voice/handin: a 4xx with a typed code and the
// reason, and the caller's call left alone (no REST update reached Twilio, no call state).
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: AgentStack;
const flowFile = (dir: string, name: string) => readFileSync(join(repoRoot, dir, name), 'utf8');

before(async () => {
  redis = await startTestRedis();
  const flows = FlowRegistry.of(
    parseFlow('bootstrap.yaml', flowFile('voice-flows', 'bootstrap.yaml')),
    parseFlow('agent-escalation.yaml', flowFixture('good', 'agent-escalation.yaml').text),
  );
  s = await agentStack(redis.url, { prefix: '{t-agent-api}', flows });
  await s.ready();
});
after(async () => {
  await s.close();
  await redis.stop();
});

/** A live call the stand-in knows but does not drive: its redirect URL waits in the inbox. */
function parked(): string {
  const sid = newCallSid();
  s.twilio.attach(sid, null);
  return sid;
}
const updatesFor = (sid: string) => s.twilio.updates.filter((u) => u.callSid === sid).length;

test('no agent token: 401; a read-only token: 403; nothing reaches Twilio', async () => {
  const sid = parked();
  const none = await s.transfer({ callSid: sid }, null).expect(401);
  assert.equal(none.body.error.code, 'API_UNAUTHORIZED');
  assert.equal((await s.transfer({ callSid: sid }, 'not-a-token').expect(401)).body.error.code, 'API_UNAUTHORIZED');
  assert.equal((await s.transfer({ callSid: sid }, READONLY_TOKEN).expect(403)).body.error.code, 'API_FORBIDDEN');
  assert.equal(updatesFor(sid), 0);
  await s.transfer({ callSid: sid }, OPERATOR_TOKEN).expect(201);
  assert.equal(updatesFor(sid), 1, 'operators may hand in too');
});

test('a prefilled number that fails the flow policy: 422 with the reason, the call not touched', async () => {
  const sid = parked();
  const cases: [string, string][] = [
    ['+33612345678', 'country'],
    ['+442071234567', 'type'],
    ['+44123456', 'invalid'],
    ['999999999', 'invalid'],
  ];
  for (const [number, reason] of cases) {
    const r = await s.transfer({ callSid: sid, number }).expect(422);
    assert.deepEqual([r.body.error.code, r.body.error.reason], ['AGENT_NUMBER_REFUSED', reason], number);
    assert.match(r.body.error.message, /number refused by flow bootstrap/);
  }
  assert.equal(updatesFor(sid), 0);
});

test('malformed requests, unknown flow or language: 400/404 with every problem named', async () => {
  const bad = await s.transfer({ callSid: 'CA123', returnTo: 'http://evil.example', extra: 1 }).expect(400);
  assert.equal(bad.body.error.code, 'BAD_REQUEST');
  assert.deepEqual(bad.body.error.problems.map((p: string) => p.split(':')[0]).sort(), [
    '(body)',
    'callSid',
    'returnTo',
  ]);
  assert.equal((await s.transfer({ callSid: parked(), flow: 'nope' }).expect(404)).body.error.code, 'FLOW_UNKNOWN');
  const lang = await s.transfer({ callSid: parked(), language: 'fr' }).expect(400);
  assert.match(lang.body.error.message, /no language "fr" \(has: en, es\)/);
});

test("returnTo numbers bootline would dial: the flow's countries only, no premium-rate ranges; the call is not touched", async () => {
  const sid = parked();
  for (const [returnTo, why] of [
    ['+449098790000', /premium-rate, shared-cost and other special numbers cannot be dialled/],
    ['+33612345678', /country not allowed/],
  ] as const) {
    const r = await s.transfer({ callSid: sid, returnTo }).expect(400);
    assert.match(r.body.error.message, why);
    assert.doesNotMatch(r.body.error.message, /9098790000|612345678/, 'the number is masked in the answer');
  }
  assert.equal(updatesFor(sid), 0);
  await s.transfer({ callSid: parked(), returnTo: '+442071234567' }).expect(201);
});

test('returnTo SIP URIs: only hosts in AGENT_SIP_DOMAINS (any port or parameters), compared without case', async () => {
  const sid = parked();
  for (const returnTo of [
    'sip:agent@evil.example',
    'sip:agent@cc.example.com.evil.example',
    'sips:a@evil.example:5061',
  ]) {
    const r = await s.transfer({ callSid: sid, returnTo }).expect(400);
    assert.deepEqual([r.body.error.code, r.body.error.reason], ['BAD_REQUEST', 'sip-domain'], returnTo);
    assert.match(r.body.error.message, /AGENT_SIP_DOMAINS \(cc\.example\.com\)/);
  }
  assert.equal(updatesFor(sid), 0, 'a refused returnTo leaves the call alone');
  for (const returnTo of ['sip:agent-7@cc.example.com', 'sips:agent-7@CC.Example.com:5061;transport=tls'])
    await s.transfer({ callSid: parked(), returnTo }).expect(201);
});

test('a body that is not JSON is refused with 415 (a form-encoded callSid is not silently ignored)', async () => {
  const sid = parked();
  const form = await request(s.app)
    .post('/api/agent/transfers')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .type('form')
    .send({ callSid: sid, flow: 'bootstrap' });
  assert.equal(form.status, 415);
  assert.equal(form.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.match(form.body.error.message, /application\/x-www-form-urlencoded/);
  const text = await request(s.app)
    .post('/api/agent/transfers')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .set('content-type', 'text/plain')
    .send(JSON.stringify({ callSid: sid }));
  assert.equal(text.status, 415);
  const empty = await request(s.app)
    .post('/api/agent/transfers')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .set('content-type', 'application/x-www-form-urlencoded');
  assert.equal(empty.status, 415, 'an empty form too: it would mint a cold-transfer code');
  assert.equal(updatesFor(sid), 0);
  const retry = await request(s.app)
    .post('/api/bootstraps/bs-nope/retry')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .type('form')
    .send({ x: 1 });
  assert.equal(retry.status, 415, 'every JSON API, not only the agent one');
  const json = await request(s.app)
    .post('/api/agent/transfers')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .set('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ callSid: sid }));
  assert.equal(json.status, 201);
});

test("Twilio refusals come back with Twilio's code: unknown call 404/20404, ended call 409/21220, others 502", async () => {
  const unknown = await s.transfer({ callSid: newCallSid() }).expect(404);
  assert.deepEqual(
    [unknown.body.error.code, unknown.body.error.twilioCode, unknown.body.error.twilioStatus],
    ['AGENT_CALL_NOT_FOUND', 20404, 404],
  );
  assert.ok(unknown.body.error.transferId, 'the failed transfer can be looked up');
  const failed = await request(s.app)
    .get(`/api/agent/transfers/${unknown.body.error.transferId}`)
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(200);
  assert.deepEqual([failed.body.status, failed.body.error.twilioCode], ['failed', 20404]);

  const ended = parked();
  s.twilio.hangup(ended);
  const r = await s.transfer({ callSid: ended }).expect(409);
  assert.deepEqual([r.body.error.code, r.body.error.twilioCode], ['AGENT_CALL_NOT_ACTIVE', 21220]);

  const busy = parked();
  s.twilio.faults.fail = { status: 429, code: 20429, message: 'Too Many Requests', times: 1 };
  const t = await s.transfer({ callSid: busy }).expect(502);
  assert.deepEqual(
    [t.body.error.code, t.body.error.twilioCode, t.body.error.twilioStatus],
    ['TWILIO_REST_ERROR', 20429, 429],
  );
  assert.equal(await s.redis.get(KEYS.call(busy)), null, 'no call state for a call that was never redirected');
  await s.transfer({ callSid: busy }).expect(201);
});

test('/voice/handin: a token for another flow 403, an expired one 410; refusals spend nothing', async () => {
  const sid = parked();
  const created = await s.transfer({ callSid: sid, language: 'en' }).expect(201);
  const url = s.twilio.calls.get(sid)!.inbox[0]!.url;
  const caller = s.sim({ callSid: sid });

  const other = url.replace('flow=bootstrap', 'flow=agent-escalation');
  const wrong = await caller.send(other, {});
  assert.deepEqual([wrong.status, JSON.parse(wrong.body).error.code], [403, 'AGENT_TOKEN_WRONG_FLOW']);
  const forged = await caller.send(url.replace(/.{4}$/, 'AAAA'), {});
  assert.deepEqual([forged.status, JSON.parse(forged.body).error.code], [403, 'AGENT_TOKEN_INVALID']);
  const old = mintToken(tokenKey(TEST_KEY), {
    id: created.body.id,
    flowId: 'bootstrap',
    callSid: sid,
    nowS: Math.floor(Date.now() / 1000) - 600,
  });
  const expired = await caller.send(url.replace(/token=[^&]+/, `token=${old.token}`), {});
  assert.deepEqual([expired.status, JSON.parse(expired.body).error.code], [410, 'AGENT_TOKEN_EXPIRED']);
  const unsigned = await request(s.app)
    .post(new URL(url).pathname + new URL(url).search)
    .type('form')
    .send({ CallSid: sid });
  assert.equal(unsigned.status, 403, 'Twilio signature required');
  assert.equal(await s.redis.get(KEYS.call(sid)), null, 'no refusal touched the call');

  // Twilio is told where to go when the hand-in URL answers an error: the caller of a refused
  // hand-in hears the flow's apology and is routed to an agent, not Twilio's "application error".
  const { fallbackUrl } = s.twilio.calls.get(sid)!.inbox[0]!;
  assert.equal(fallbackUrl, `${TEST_BASE}/voice/fallback`);
  assert.equal(s.twilio.updates.find((u) => u.callSid === sid)!.params.FallbackMethod, 'POST');
  const refused = await caller.redirectTo(url.replace(/token=[^&]+/, `token=${old.token}`), fallbackUrl);
  assert.deepEqual(
    [refused.says[0], refused.hungUp, refused.transfer?.verb],
    ['Sorry, something went wrong on our side.', false, 'Enqueue'],
  );

  const ok = await caller.redirectTo(url);
  assert.match(ok.says[0]!, /^Welcome to device setup\./, 'the real token still works once');
});

test('the agent view of a bootstrap: masked number, no PIN, 404 for an unknown id', async () => {
  const r = await request(s.app)
    .get('/api/agent/bootstraps/bs-nope')
    .set('Authorization', `Bearer ${READONLY_TOKEN}`)
    .expect(404);
  assert.equal(r.body.error.code, 'BOOTSTRAP_NOT_FOUND');
  await s.store.create({ id: 'bs-agentview', msisdn: '+447400123987', flowId: 'bootstrap', pin: '123456' });
  const v = await request(s.app)
    .get('/api/agent/bootstraps/bs-agentview')
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(200);
  assert.deepEqual(
    [v.body.status, v.body.to, v.body.segments],
    ['queued', '+44*******987', { total: null, delivered: 0 }],
  );
  assert.ok(!JSON.stringify(v.body).includes('123987') && !JSON.stringify(v.body).includes('123456'));
  const list = await request(s.app)
    .get('/api/agent/bootstraps')
    .query({ msisdn: '+447400123987' })
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(200);
  assert.deepEqual(
    list.body.bootstraps.map((b: { id: string; to: string }) => [b.id, b.to]),
    [['bs-agentview', '+44*******987']],
  );
  await request(s.app)
    .get('/api/agent/bootstraps')
    .query({ msisdn: '07400123987' })
    .set('Authorization', `Bearer ${AGENT_TOKEN}`)
    .expect(400);
});
