import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPhone, scrubDigits } from '../../src/platform/mask.js';
import { safeEqual, seal, unseal } from '../../src/platform/seal.js';

test('phone numbers are masked to country prefix and last three digits', () => {
  assert.equal(maskPhone('+447400123456'), '+44*******456');
  assert.equal(maskPhone('07400123456'), '07******456');
  assert.equal(maskPhone('12345'), '*****');
  assert.equal(maskPhone(undefined), '');
  assert.equal(scrubDigits('call +447400123456 now'), 'call +44*******456 now');
});

test('sealed values open only with the same key and aad, and hide the plaintext', () => {
  const key = Buffer.alloc(32, 1);
  const s = seal(key, '482173', 'bs-1');
  assert.ok(!s.includes('482173'));
  assert.equal(unseal(key, s, 'bs-1'), '482173');
  assert.equal(unseal(key, s, 'bs-2'), null);
  assert.equal(unseal(Buffer.alloc(32, 2), s, 'bs-1'), null);
  const tampered = Buffer.from(s, 'base64url');
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(unseal(key, tampered.toString('base64url'), 'bs-1'), null);
  assert.equal(unseal(key, 'short', 'bs-1'), null);
});

test('every seal has its own IV, across the blocks the IVs are drawn in', () => {
  const key = Buffer.alloc(32, 1);
  const ivs = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const s = seal(key, 'same plaintext', 'bs-1');
    assert.equal(unseal(key, s, 'bs-1'), 'same plaintext');
    ivs.add(Buffer.from(s, 'base64url').subarray(0, 12).toString('hex'));
  }
  assert.equal(ivs.size, 600);
});

test('safeEqual compares content', () => {
  assert.ok(safeEqual('abc', 'abc'));
  assert.ok(!safeEqual('abc', 'abd'));
  assert.ok(!safeEqual('abc', 'abcd'));
});
