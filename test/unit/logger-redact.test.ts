import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';

/** One log call through the real pino logger; the parsed JSON line it wrote. */
function logged(obj: Record<string, unknown>): Record<string, unknown> {
  const dest = new PassThrough();
  let line = '';
  dest.on('data', (d: Buffer) => {
    line += d.toString();
  });
  createLogger({ level: 'info', name: 'redact-test' }, dest).info(obj, 'x');
  return JSON.parse(line) as Record<string, unknown>;
}

test('the redactor keeps stable error codes (top level and nested) readable', () => {
  const out = logged({ code: 'FLOW_INVALID', redis: { code: 'ECONNREFUSED', message: 'down' }, err: new Error('x') });
  assert.equal(out.code, 'FLOW_INVALID');
  assert.deepEqual(out.redis, { code: 'ECONNREFUSED', message: 'down' });
  const coded = Object.assign(new Error('no SMSC'), { code: 'SMPP_NOT_CONNECTED' });
  assert.equal((logged({ err: coded }).err as { code: string }).code, 'SMPP_NOT_CONNECTED');
  assert.equal(logged({ code: 'HTTP_404' }).code, 'HTTP_404');
});

test('the redactor still hides one-time codes, hex user codes, PINs, tokens and secrets', () => {
  const out = logged({
    code: '123456',
    sms: { code: 'ABCDEF0123' },
    other: { code: 42 },
    pin: '1234',
    token: 'FLOW_LOOKS_LIKE_A_CODE',
    secret: 'ECONNREFUSED',
  });
  assert.equal(out.code, '[redacted]');
  assert.deepEqual(out.sms, { code: '[redacted]' });
  assert.deepEqual(out.other, { code: '[redacted]' });
  assert.equal(out.pin, '[redacted]');
  assert.equal(out.token, '[redacted]', 'only a code field may keep an error-code-like value');
  assert.equal(out.secret, '[redacted]');
});
