import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { BootlineError } from '../../src/errors.js';

const GOOD = {
  TWILIO_AUTH_TOKEN: 'abcdefgh12345678',
  SMPP_URL: 'smpp://esme:secret%21@smsc.example.net:2775',
  DM_SERVER_URL: 'https://dm.example.com/dm',
  DM_SERVER_ID: 'com.example.dm',
  DATA_ENCRYPTION_KEY: 'ab'.repeat(32),
};

test('a complete environment yields a frozen config with defaults applied', () => {
  const c = loadConfig(GOOD);
  assert.equal(c.port, 3000);
  assert.equal(c.publicBaseUrl, 'http://localhost:3000');
  assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  assert.deepEqual(
    { ...c.smpp },
    { host: 'smsc.example.net', port: 2775, tls: false, systemId: 'esme', password: 'secret!' },
  );
  assert.equal(c.dataEncryptionKey.length, 32);
  assert.equal(c.pinLength, 6);
  assert.ok(Object.isFrozen(c));
  assert.throws(() => {
    (c as { port: number }).port = 1;
  });
});

test('PUBLIC_BASE_URL follows PORT by default and loses a trailing slash when given', () => {
  assert.equal(loadConfig({ ...GOOD, PORT: '8080' }).publicBaseUrl, 'http://localhost:8080');
  assert.equal(
    loadConfig({ ...GOOD, PUBLIC_BASE_URL: 'https://ivr.example.com/' }).publicBaseUrl,
    'https://ivr.example.com',
  );
});

test('every missing or invalid setting is listed at once', () => {
  try {
    loadConfig({ PORT: 'eighty', SMPP_URL: 'http://wrong', PIN_LENGTH: '3' });
    assert.fail('expected CONFIG_INVALID');
  } catch (err) {
    assert.ok(err instanceof BootlineError);
    assert.equal(err.code, 'CONFIG_INVALID');
    const problems = (err.details.problems as string[]).join('\n');
    for (const name of [
      'PORT',
      'TWILIO_AUTH_TOKEN',
      'SMPP_URL',
      'DM_SERVER_URL',
      'DM_SERVER_ID',
      'DATA_ENCRYPTION_KEY',
      'PIN_LENGTH',
    ]) {
      assert.match(problems, new RegExp(`^${name}:`, 'm'), `${name} should be reported`);
    }
  }
});

test('empty strings count as unset', () => {
  assert.throws(() => loadConfig({ ...GOOD, TWILIO_AUTH_TOKEN: '' }), /TWILIO_AUTH_TOKEN/);
});

test('security settings: limits parse, and every bad one is listed with its variable', () => {
  const c = loadConfig({
    ...GOOD,
    LIMITS_CODES: 'destination=1/1d',
    DESTINATION_COUNTRIES: 'GB,IE',
    CORS_ORIGINS: 'https://crm.example',
  });
  assert.deepEqual(c.security.limits.code.destination, { points: 1, seconds: 86_400 });
  assert.equal(c.security.limits.code.caller.points, 6, 'unspecified scopes keep their defaults');
  assert.deepEqual([...c.security.destination.countries], ['GB', 'IE']);
  assert.deepEqual([...c.security.corsOrigins], ['https://crm.example']);
  assert.equal(c.security.pushSecurity, 'USERPIN');
  try {
    loadConfig({
      ...GOOD,
      LIMITS_CODES: 'destination=lots',
      CODE_LOCKOUT: '5',
      PUSH_SECURITY: 'NETWPIN',
      SUBSCRIBER_LOOKUP_SECRET: 'x'.repeat(20),
      DESTINATION_COUNTRIES: 'uk',
    });
    assert.fail('expected CONFIG_INVALID');
  } catch (err) {
    assert.ok(err instanceof BootlineError);
    const problems = (err.details.problems as string[]).join('\n');
    assert.match(problems, /^DESTINATION_COUNTRIES:/m);
  }
  try {
    loadConfig({
      ...GOOD,
      LIMITS_CODES: 'destination=lots',
      CODE_LOCKOUT: '5',
      PUSH_SECURITY: 'NETWPIN',
      SUBSCRIBER_LOOKUP_SECRET: 'x'.repeat(20),
    });
    assert.fail('expected CONFIG_INVALID');
  } catch (err) {
    assert.ok(err instanceof BootlineError);
    const problems = (err.details.problems as string[]).join('\n');
    for (const re of [
      /^LIMITS_CODES: "lots" is not a rate/m,
      /^CODE_LOCKOUT: "5" is not a rate/m,
      /^PUSH_SECURITY=NETWPIN: needs SUBSCRIBER_LOOKUP_URL/m,
      /^SUBSCRIBER_LOOKUP_URL and SUBSCRIBER_LOOKUP_SECRET: set both/m,
    ]) {
      assert.match(problems, re);
    }
  }
});

test('TRUSTED_PROXIES (addresses, CIDRs, loopback) and TWILIO_SIGNATURE_PORTS (strict unless either)', () => {
  const d = loadConfig(GOOD).security;
  assert.deepEqual([d.trustedProxies, d.signaturePorts], [[], 'strict']);
  const c = loadConfig({
    ...GOOD,
    TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::/32,loopback,192.0.2.7',
    TWILIO_SIGNATURE_PORTS: 'either',
  }).security;
  assert.deepEqual(c.trustedProxies, ['10.0.0.0/8', '2001:db8::/32', 'loopback', '192.0.2.7']);
  assert.equal(c.signaturePorts, 'either');
  assert.throws(
    () => loadConfig({ ...GOOD, TRUSTED_PROXIES: 'proxy.example.com,10.0.0.0/40' }),
    (e: BootlineError) =>
      (e.details.problems as string[]).some((p) => /"proxy\.example\.com" is not an IP/.test(p)) &&
      (e.details.problems as string[]).some((p) => /"10\.0\.0\.0\/40" has a bad prefix length/.test(p)),
  );
  assert.throws(() => loadConfig({ ...GOOD, TWILIO_SIGNATURE_PORTS: 'loose' }), /TWILIO_SIGNATURE_PORTS/);
});
