import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { BootlineError } from '../../src/errors.js';
import { checkNumber } from '../../src/policy/number.js';
import { NETWORK_EVENT_TYPES, parseNetworkPolicy } from '../../src/policy/network-events.js';
import { maskIp } from '../../src/doors/web/steps.js';
import { MINIMAL_ENV } from '../helpers/config-env.js';

const GOOD = MINIMAL_ENV;

test('doors defaults: page on, challenge when hot, network events off, batch window 50', () => {
  const d = loadConfig(GOOD).doors!;
  assert.equal(d.setup.enabled, true);
  assert.equal(d.setup.challenge, 'hot');
  assert.deepEqual({ ...d.setup.hot }, { ip: 2, prefix: 5 });
  assert.equal(d.network, null);
  assert.equal(d.batch.window, 50);
});

test('NETWORK_EVENTS_POLICY overrides the defaults per type; bad entries are listed', () => {
  const d = loadConfig({
    ...GOOD,
    NETWORK_EVENTS_TOKEN: 'sink-token-0123456789',
    NETWORK_EVENTS_POLICY: `${NETWORK_EVENT_TYPES.simSwap}=block:3d,${NETWORK_EVENT_TYPES.deviceAttached}=ignore`,
  }).doors!;
  assert.equal(d.network?.token, 'sink-token-0123456789');
  assert.deepEqual(d.network?.policy.get(NETWORK_EVENT_TYPES.simSwap), { kind: 'block', seconds: 3 * 86_400 });
  assert.deepEqual(d.network?.policy.get(NETWORK_EVENT_TYPES.deviceAttached), { kind: 'ignore' });
  assert.deepEqual(d.network?.policy.get(NETWORK_EVENT_TYPES.deviceSwap), { kind: 'bootstrap', sec: 'NETWPIN' });
  for (const bad of ['x=block', 'x=bootstrap:PIN', 'x=explode', '=ignore'])
    assert.throws(() => parseNetworkPolicy(bad), Error, bad);
  try {
    loadConfig({ ...GOOD, NETWORK_EVENTS_TOKEN: 'short', NETWORK_EVENTS_POLICY: 'x=block', SETUP_CHALLENGE_HOT: 'ip' });
    assert.fail('expected CONFIG_INVALID');
  } catch (err) {
    assert.ok(err instanceof BootlineError);
    const problems = (err.details.problems as string[]).join('\n');
    assert.match(problems, /NETWORK_EVENTS_TOKEN/);
    assert.match(problems, /SETUP_CHALLENGE_HOT/);
  }
  assert.match(
    (() => {
      try {
        loadConfig({ ...GOOD, NETWORK_EVENTS_POLICY: 'x=block' });
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })(),
    /NETWORK_EVENTS_POLICY: "block": a block needs a window/,
  );
});

test('API_TOKENS takes the pos role', () => {
  const c = loadConfig({ ...GOOD, API_TOKENS: `pos:${'c'.repeat(64)},operator:${'d'.repeat(64)}` });
  assert.deepEqual(
    c.apiTokens.map((t) => t.role),
    ['pos', 'operator'],
  );
});

test('numbers as people type them: national, international, 00, spaces and dashes; the policy decides', () => {
  const policy = { defaultRegion: 'GB', countries: ['GB', 'ES'], types: ['MOBILE'] };
  for (const typed of ['07400 123456', '+44 7400-123456', '0044 (7400) 123456', '+447400123456'])
    assert.deepEqual(checkNumber(typed, policy), {
      ok: true,
      e164: '+447400123456',
      national: '07400 123456',
      country: 'GB',
    });
  assert.equal(checkNumber('+34 612 345 678', policy).ok, true);
  assert.deepEqual(checkNumber('', policy), { ok: false, reason: 'empty' });
  assert.deepEqual(checkNumber('call me', policy), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkNumber('+1 415 555 0100', policy), { ok: false, reason: 'country' });
  assert.deepEqual(checkNumber('020 7946 0000', policy), { ok: false, reason: 'type' });
});

test('addresses are masked for logs', () => {
  assert.equal(maskIp('203.0.113.77'), '203.0.113.*');
  assert.equal(maskIp('::ffff:127.0.0.1'), '127.0.0.*');
  assert.equal(maskIp('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3:…');
});
