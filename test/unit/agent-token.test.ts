import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AgentService } from '../../src/agents/service.js';
import { mintToken, newTransferId, parseToken, tokenKey, tokenMatches, TOKEN_TTL_S } from '../../src/agents/token.js';
import { twilioError } from '../../src/twilio/calls.js';
import { loadConfig } from '../../src/config/config.js';
import type { BootlineError } from '../../src/errors.js';
import { sipWithHeaders } from '../../src/voice/steps/agent-context.js';
import { MINIMAL_ENV } from '../helpers/config-env.js';

const KEY = tokenKey(Buffer.alloc(32, 7));
const CALL = 'CA' + 'ab'.repeat(16);

test('a context token verifies for its flow and call only, is short, and expires after 2 minutes', () => {
  const id = newTransferId();
  const { token, exp } = mintToken(KEY, { id, flowId: 'bootstrap', callSid: CALL, nowS: 1_800_000_000 });
  assert.equal(exp, 1_800_000_000 + TOKEN_TTL_S);
  assert.ok(token.length <= 50, token);
  const t = parseToken(token)!;
  assert.deepEqual([t.id, t.exp], [id, exp]);
  assert.ok(tokenMatches(KEY, t, 'bootstrap', CALL));
  assert.ok(!tokenMatches(KEY, t, 'other', CALL), 'another flow');
  assert.ok(!tokenMatches(KEY, t, 'bootstrap', 'CA' + 'cd'.repeat(16)), 'another call');
  assert.ok(!tokenMatches(tokenKey(Buffer.alloc(32, 8)), t, 'bootstrap', CALL), 'another key');
  assert.ok(!tokenMatches(KEY, { ...t, exp: t.exp + 3600 }, 'bootstrap', CALL), 'a pushed-out expiry breaks the MAC');
  assert.notDeepEqual(tokenKey(Buffer.alloc(32, 7)), Buffer.alloc(32, 7), 'derived, not the data key itself');
});

test('any change to a token makes it fail to parse or to verify', () => {
  const { token } = mintToken(KEY, { id: newTransferId(), flowId: 'bootstrap', callSid: CALL });
  fc.assert(
    fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'AZaz09-_.x'), (i, c) => {
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      fc.pre(changed !== token);
      const t = parseToken(changed);
      return t === null || !tokenMatches(KEY, t, 'bootstrap', CALL);
    }),
    { numRuns: 300 },
  );
  for (const bad of ['', 'x', `${token}.`, token.replace(/\./g, ':'), `${token}A`])
    assert.equal(parseToken(bad), null, bad);
});

test("Twilio REST errors map to codes an agent can act on, keeping Twilio's code", () => {
  const e = (status: number, code?: number) =>
    Object.assign(new Error('msg'), { status, code, moreInfo: 'https://www.twilio.com/docs/errors/x' });
  assert.deepEqual(
    [twilioError(e(404, 20404)).code, twilioError(e(404, 20404)).details.twilioCode],
    ['AGENT_CALL_NOT_FOUND', 20404],
  );
  assert.equal(twilioError(e(400, 21220)).code, 'AGENT_CALL_NOT_ACTIVE');
  const other = twilioError(e(401, 20003));
  assert.deepEqual(
    [other.code, other.details.twilioCode, other.details.twilioStatus, other.http],
    ['TWILIO_REST_ERROR', 20003, 401, 502],
  );
  const down = twilioError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  assert.deepEqual([down.code, down.details.twilioStatus], ['TWILIO_REST_ERROR', 0]);
  assert.match(down.message, /unreachable/);
});

test('SIP context headers: X- names, URL-encoded values, nulls left out', () => {
  const uri = sipWithHeaders('sip:agents@pbx.example.com', {
    maskedNumber: '+44*******123',
    language: 'en',
    reason: 'max-attempts',
    lastStep: 'number',
    bootstrapId: null,
    callSid: CALL,
    ticketId: 'A&B=1',
    verified: true,
    bootstrapStatus: null,
  });
  assert.equal(
    uri,
    `sip:agents@pbx.example.com?X-Bootline-Number=%2B44*******123&X-Bootline-Language=en&X-Bootline-Reason=max-attempts&X-Bootline-Last-Step=number&X-Bootline-Call-Sid=${CALL}&X-Bootline-Ticket-Id=A%26B%3D1&X-Bootline-Verified=true`,
  );
});

test('agent settings: both webhook settings or neither; account and base URL', () => {
  const GOOD = MINIMAL_ENV;
  assert.deepEqual(
    { ...loadConfig(GOOD).agent },
    { accountSid: null, apiBaseUrl: 'https://api.twilio.com', webhook: null, workflowSid: null, sipDomains: [] },
  );
  assert.deepEqual(loadConfig({ ...GOOD, AGENT_SIP_DOMAINS: 'PBX.example.com,cc.example.com' }).agent?.sipDomains, [
    'pbx.example.com',
    'cc.example.com',
  ]);
  assert.throws(() => loadConfig({ ...GOOD, AGENT_SIP_DOMAINS: 'sip:x@y' }), /AGENT_SIP_DOMAINS: host names/);
  const c = loadConfig({
    ...GOOD,
    TWILIO_ACCOUNT_SID: 'AC' + 'f'.repeat(32),
    TWILIO_API_BASE_URL: 'http://127.0.0.1:9/',
    AGENT_WEBHOOK_URL: 'https://cc.example.com/hook',
    AGENT_WEBHOOK_SECRET: 's'.repeat(16),
  });
  assert.deepEqual(
    [c.agent?.accountSid, c.agent?.apiBaseUrl, c.agent?.webhook?.url],
    ['AC' + 'f'.repeat(32), 'http://127.0.0.1:9', 'https://cc.example.com/hook'],
  );
  assert.throws(
    () => loadConfig({ ...GOOD, AGENT_WEBHOOK_URL: 'https://cc.example.com/hook' }),
    /AGENT_WEBHOOK_URL and AGENT_WEBHOOK_SECRET/,
  );
  assert.throws(() => loadConfig({ ...GOOD, TWILIO_ACCOUNT_SID: 'AC123' }), /TWILIO_ACCOUNT_SID: must be AC/);
});

test('without TWILIO_ACCOUNT_SID a hand-in is refused before anything is stored or sent', async () => {
  const untouched = new Proxy(
    {},
    {
      get: () => {
        throw new Error('touched');
      },
    },
  );
  const svc = new AgentService({
    transfers: untouched,
    watch: untouched,
    redirector: null,
    flows: untouched,
    engine: untouched,
    dataKey: Buffer.alloc(32),
    publicBaseUrl: 'https://x',
    logger: untouched,
  } as never);
  await assert.rejects(
    svc.create({ callSid: CALL, flow: 'bootstrap' }),
    (e: BootlineError) => e.code === 'AGENT_NOT_CONFIGURED' && e.http === 503,
  );
});
