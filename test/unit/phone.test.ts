import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPhone, speakDigits, speakDigitsGrouped } from '../../src/voice/phone.js';

const GB_MOBILE = { defaultRegion: 'GB', allowedCountries: ['GB'], allowedTypes: ['MOBILE' as const] };

test('national and international entry normalise to E.164', () => {
  for (const typed of ['07400123456', '00447400123456', '*447400123456']) {
    const r = checkPhone(typed, GB_MOBILE);
    assert.deepEqual(r, { ok: true, e164: '+447400123456', national: '07400 123456', country: 'GB' }, typed);
  }
});

test('bad entries are refused with a reason', () => {
  assert.deepEqual(checkPhone('', GB_MOBILE), { ok: false, reason: 'empty' });
  assert.deepEqual(checkPhone('123', GB_MOBILE), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkPhone('*#*#', GB_MOBILE), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkPhone('0740abc3456', GB_MOBILE), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkPhone('9'.repeat(200), GB_MOBILE), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkPhone('0034612345678', GB_MOBILE), { ok: false, reason: 'country' });
  assert.deepEqual(checkPhone('02079460000', GB_MOBILE), { ok: false, reason: 'type' }); // London fixed line
  assert.deepEqual(checkPhone('09098790000', GB_MOBILE), { ok: false, reason: 'type' }); // premium rate
});

test('digits are spoken one by one', () => {
  assert.equal(speakDigits('482173'), '4, 8, 2, 1, 7, 3');
  assert.equal(speakDigitsGrouped('07400 123456'), '0 7 4 0 0, 1 2 3 4 5 6');
});
