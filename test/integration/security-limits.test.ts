import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { hashToken } from '../../src/platform/http/auth.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { AbuseGuard, DEFAULT_LIMITS, parseLimitTable, parseRate, type AbuseLimits } from '../../src/policy/limits.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_LIMITS, webStack, type WebStack } from '../helpers/stack.js';
import type { CallSimulator } from '../../src/console/simulator/call.js';

// The shared rate limits, against a real Redis: first the guard's arithmetic per scope, then
// what a caller over a limit hears through real webhooks — and that nothing is sent.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis.stop();
});

/** Generous limits except the code scopes given, and a 3/1h lockout. */
const codeLimits = (over: Partial<Record<string, string>>): AbuseLimits => ({
  ...TEST_LIMITS,
  code: { ...TEST_LIMITS.code, ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, parseRate(v!)])) },
  lockout: parseRate('3/1h'),
});

test('rates and limit tables parse, with the offending text named', () => {
  assert.deepEqual(parseRate('5/1h'), { points: 5, seconds: 3600 });
  assert.deepEqual(parseRate('20/10m'), { points: 20, seconds: 600 });
  assert.throws(() => parseRate('5 per hour'), /"5 per hour" is not a rate like 5\/1h/);
  const t = parseLimitTable('destination=1/1d, caller=2/30m', DEFAULT_LIMITS.code);
  assert.deepEqual(
    [t.destination, t.caller, t.global],
    [{ points: 1, seconds: 86_400 }, { points: 2, seconds: 1800 }, DEFAULT_LIMITS.code.global],
  );
  assert.throws(() => parseLimitTable('planet=1/1h', DEFAULT_LIMITS.code), /unknown scope "planet"/);
});

test('each scope refuses at its own limit and names itself; a refusal gives back the other scopes', async () => {
  const r = createRedis(redis.url, 'fast');
  try {
    const cases: Array<[string, Array<{ caller?: string; destination: string }>]> = [
      [
        'destination',
        [
          { caller: '+447400000101', destination: '+447400555001' },
          { caller: '+447400000102', destination: '+447400555001' },
        ],
      ],
      [
        'caller',
        [
          { caller: '+447400000103', destination: '+447400555002' },
          { caller: '+447400000103', destination: '+447400666003' },
        ],
      ],
      [
        'prefix',
        [
          { caller: '+447400000104', destination: '+447400777004' },
          { caller: '+447400000105', destination: '+447400777005' },
        ],
      ],
      [
        'country',
        [
          { caller: '+447400000106', destination: '+447400888006' },
          { caller: '+34600000107', destination: '+447500999007' },
        ],
      ],
    ];
    for (const [scope, [first, second]] of cases) {
      await r.flushdb(); // country and global keys are shared by every guard on this Redis
      const guard = new AbuseGuard(r, codeLimits({ [scope]: '1/1h' }), Buffer.alloc(32, scope.length));
      assert.deepEqual(await guard.allow('code', first!), { ok: true }, scope);
      const refused = await guard.allow('code', second!);
      assert.equal(refused.ok, false, scope);
      assert.equal(!refused.ok && refused.scope, scope);
      assert.ok(!refused.ok && refused.retryAfterS > 0 && refused.retryAfterS <= 3600);
    }
    // Global: one budget for everybody. The refused call gave its destination budget back.
    await r.flushdb();
    const g = new AbuseGuard(r, codeLimits({ global: '2/1h', destination: '1/1h' }), Buffer.alloc(32, 9));
    assert.equal((await g.allow('code', { destination: '+447400111001' })).ok, true);
    assert.equal((await g.allow('code', { destination: '+447400111002' })).ok, true);
    const over = await g.allow('code', { destination: '+447400111003' });
    assert.equal(!over.ok && over.scope, 'global');
    const fresh = new AbuseGuard(r, codeLimits({ destination: '1/1h' }), Buffer.alloc(32, 9));
    assert.equal(
      (await fresh.allow('code', { destination: '+447400111003' })).ok,
      true,
      'the refused attempt did not use up +447400111003',
    );
    // No number appears in any key name: scopes are keyed by an HMAC of the number.
    const keys = await r.keys('bl:rl:*');
    assert.ok(keys.length > 0);
    for (const k of keys) assert.doesNotMatch(k, /4474\d{5,}|\+34/, k);
  } finally {
    r.disconnect();
  }
});

test('wrong codes for one destination lock it across calls', async () => {
  const r = createRedis(redis.url, 'fast');
  try {
    const guard = new AbuseGuard(r, codeLimits({}), Buffer.alloc(32, 3));
    for (let i = 0; i < 2; i++) await guard.wrongCode('+447400123001');
    assert.deepEqual(await guard.locked('+447400123001'), { ok: true });
    await guard.wrongCode('+447400123001');
    const locked = await guard.locked('+447400123001');
    assert.equal(!locked.ok && locked.scope, 'lockout');
    const send = await guard.allow('code', { destination: '+447400123001' });
    assert.equal(!send.ok && send.scope, 'lockout', 'no new code for a locked number either');
    assert.deepEqual(await guard.locked('+447400123002'), { ok: true }, 'other numbers unaffected');
  } finally {
    r.disconnect();
  }
});

/** Dials, picks English, keys in `number` and confirms it: the send-code step runs. */
async function toSendCode(sim: CallSimulator, number: string) {
  await sim.dial();
  await sim.press('1');
  await sim.press(number);
  return sim.press('1');
}

test('a caller over a code limit hears a polite refusal and no SMS is queued; metrics count it, without numbers', async () => {
  const web: WebStack = webStack(redis.url, {
    prefix: '{t-limits}',
    limits: { ...TEST_LIMITS, code: { ...TEST_LIMITS.code, destination: parseRate('2/1h') } },
  });
  await web.ready();
  try {
    for (const from of ['+447400000201', '+447400000202']) {
      const t = await toSendCode(web.sim({ from }), '07400123999');
      assert.match(t.says.join(' '), /We have sent a text message with a 6-digit code/);
    }
    const third = await toSendCode(web.sim({ from: '+447400000203' }), '07400123999');
    assert.deepEqual(third.says, [
      'Sorry, we cannot send more messages to that number right now. Please try again in an hour. Goodbye.',
    ]);
    assert.ok(third.hungUp);
    assert.equal(await web.smsQueue.count(), 2, 'two code SMS queued, none for the refused call');

    const token = 'metrics-reader-token';
    const app = (await import('../../src/app/http.js')).createApp({
      config: { ...web.config, apiTokens: [{ role: 'read-only', sha256: hashToken(token) }] },
      logger: silentLogger(),
      readiness: async () => ({}),
    });
    assert.equal((await request(app).get('/metrics')).status, 401);
    const m = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`);
    assert.equal(m.status, 200);
    const refused = /bootline_limit_decisions_total\{action="code",scope="destination",outcome="refused"\} (\d+)/.exec(
      m.text,
    );
    assert.ok(refused && Number(refused[1]) >= 1, m.text.slice(0, 400));
    assert.doesNotMatch(m.text, /7400123999|\+44\*/, 'no number, masked or not, in metrics');
  } finally {
    await web.close();
  }
});

test('a push over the bootstrap limit is refused politely; only the first is queued', async () => {
  const web = webStack(redis.url, {
    prefix: '{t-limits2}',
    limits: { ...TEST_LIMITS, bootstrap: { ...TEST_LIMITS.bootstrap, destination: parseRate('1/1d') } },
  });
  await web.ready();
  try {
    const attested = { from: '+447400123888', extra: { StirVerstat: 'TN-Validation-Passed-A' }, maxRedirects: 0 };
    const first = await toSendCode(web.sim(attested), '07400123888');
    assert.match(first.says.join(' '), /Your PIN is/);
    const second = await toSendCode(web.sim(attested), '07400123888');
    assert.match(second.says.join(' '), /Your PIN is .*Sorry, we cannot send more messages to that number right now/);
    assert.ok(second.hungUp);
    assert.equal((await web.queue.getJobs(['waiting', 'delayed', 'active'])).length, 1);
  } finally {
    await web.close();
  }
});

test('after repeated wrong codes the number is locked: even the right code is refused', async () => {
  const web = webStack(redis.url, { prefix: '{t-limits3}', limits: { ...TEST_LIMITS, lockout: parseRate('3/1h') } });
  await web.ready();
  try {
    // One call spends its three tries on wrong codes…
    const guesser = web.sim({ from: '+447400000301' });
    await toSendCode(guesser, '07400123777');
    for (let i = 0; i < 3; i++) await guesser.press('000000');
    assert.ok(guesser.turn?.hungUp);
    // …then a second call to the same number gets a real code but cannot use it.
    const owner = web.sim({ from: '+447400000302' });
    const sent = await toSendCode(owner, '07400123777');
    assert.match(
      sent.says.join(' '),
      /Sorry, we cannot send more messages to that number right now/,
      'locked: no new code is sent either',
    );
    assert.equal(await web.smsQueue.count(), 1, "only the guesser's code SMS");
  } finally {
    await web.close();
  }
});

test("the caller's own limit is apologised for as the caller's, not as the destination's", async () => {
  const web = webStack(redis.url, {
    prefix: '{t-limits4}',
    limits: {
      ...TEST_LIMITS,
      code: { ...TEST_LIMITS.code, caller: parseRate('1/1h') },
      bootstrap: { ...TEST_LIMITS.bootstrap, caller: parseRate('1/1d') },
    },
  });
  await web.ready();
  const ownLimit =
    'Sorry, too many set-ups have been asked for from the phone you are calling from. Please try again later. Goodbye.';
  try {
    // Codes: one phone asks for codes for two different numbers; the second is over its own limit.
    const first = await toSendCode(web.sim({ from: '+447400000401' }), '07400124401');
    assert.match(first.says.join(' '), /We have sent a text message/);
    const second = await toSendCode(web.sim({ from: '+447400000401' }), '07400124402');
    assert.deepEqual(second.says, [ownLimit]);
    assert.doesNotMatch(second.says.join(' '), /to that number/);
    // Pushes: an attested caller (no code) sets up its own phone twice.
    const attested = { from: '+447400124777', extra: { StirVerstat: 'TN-Validation-Passed-A' }, maxRedirects: 0 };
    assert.match((await toSendCode(web.sim(attested), '07400124777')).says.join(' '), /Your PIN is/);
    const again = await toSendCode(web.sim(attested), '07400124777');
    assert.match(again.says.join(' '), new RegExp(`Your PIN is .*${ownLimit.replace(/[.?]/g, '\\$&')}`));
  } finally {
    await web.close();
  }
});
