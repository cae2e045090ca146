import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeMac,
  imsiKey,
  macKey,
  verifyMac,
  userPinMacCode,
  verifyUserPinMacCode,
  type SecInput,
} from '../../../src/codec/index.js';
import { hmacSha1 } from '../../../src/codec/security/mac.js';
import { isBootlineError } from '../../../src/errors.js';
import { hex, vectorHex, vectorText } from './fixtures.js';

interface MacVector {
  id: number;
  source: string;
  bodyFile: string;
  sec: SecInput;
  keyHex: string;
  mac: string;
  userCode?: string;
}
const V = JSON.parse(vectorText('security.json')) as {
  macVectors: MacVector[];
  imsiKeys: { imsi: string; keyHex: string }[];
};

test('IMSI semi-octet keys (3GPP TS 31.102 §4.2.2 EF_IMSI coding): odd → 9 prefix, even → 1 prefix + F pad', () => {
  for (const k of V.imsiKeys) assert.equal(hex(imsiKey(k.imsi)), k.keyHex, k.imsi);
});

for (const v of V.macVectors) {
  test(`MAC known answer ${v.id} (${v.sec.method}; ${v.source})`, () => {
    const body = vectorHex(v.bodyFile);
    assert.equal(hex(macKey(v.sec)), v.keyHex);
    assert.equal(computeMac(body, v.sec), v.mac);
    assert.equal(verifyMac(body, v.mac, v.sec), true);
    assert.equal(verifyMac(body, v.mac.toLowerCase(), v.sec), true, 'hex case does not matter on the receiving side');
    const flipped = Buffer.from(body);
    flipped[flipped.length - 1]! ^= 1;
    assert.equal(verifyMac(flipped, v.mac, v.sec), false, 'one changed body bit must fail');
    if (v.userCode) {
      assert.equal(userPinMacCode(body, (v.sec as { userKey: string }).userKey), v.userCode);
      assert.equal(verifyUserPinMacCode(body, v.userCode), true);
      assert.equal(verifyUserPinMacCode(body, v.userCode.slice(0, -1) + '9'), false);
    }
  });
}

test('verifyMac rejects malformed MAC text without throwing', () => {
  const body = vectorHex('mozilla/empty-provdoc-body.hex');
  const sec = { method: 'USERPIN', pin: '1234' } as const;
  for (const bad of [
    '',
    'XYZ',
    '6CD48BFD7FFC33183154734DF4434DA694E25E6',
    '6CD48BFD7FFC33183154734DF4434DA694E25E6A00',
  ])
    assert.equal(verifyMac(body, bad, sec), false);
});

test('bad secrets are typed errors with the offending offset', () => {
  const body = Buffer.from('030B6A004501', 'hex');
  const cases: [SecInput, string, number][] = [
    [{ method: 'USERPIN', pin: '12a4' }, 'SEC_BAD_PIN', 2],
    [{ method: 'USERPIN', pin: '' }, 'SEC_BAD_PIN', 0],
    [{ method: 'USERNETWPIN', imsi: '466923103145252', pin: '١٢٣' }, 'SEC_BAD_PIN', 0],
    [{ method: 'NETWPIN', imsi: '12345' }, 'SEC_BAD_IMSI', 5],
    [{ method: 'NETWPIN', imsi: '1234567890123456' }, 'SEC_BAD_IMSI', 15],
    [{ method: 'NETWPIN', imsi: '46692310314525X' }, 'SEC_BAD_IMSI', 14],
    [{ method: 'USERPINMAC', userKey: '1234' }, 'SEC_BAD_USERPINMAC_KEY', 4],
    [{ method: 'USERPINMAC', userKey: '12 45' }, 'SEC_BAD_USERPINMAC_KEY', 2],
  ];
  for (const [sec, code, offset] of cases) {
    assert.throws(
      () => computeMac(body, sec),
      (e) => isBootlineError(e) && e.code === code && e.details.offset === offset,
      JSON.stringify(sec),
    );
  }
  assert.doesNotThrow(() => computeMac(body, { method: 'NETWPIN', imsi: '123456' }));
});

test('the MAC primitive is HMAC-SHA1 (RFC 2104): RFC 2202 §3 test cases 1–7 (short, long and over-block keys)', () => {
  const cases: [Buffer, Buffer, string][] = [
    [Buffer.alloc(20, 0x0b), Buffer.from('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [Buffer.alloc(20, 0xaa), Buffer.alloc(50, 0xdd), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    [
      Buffer.from('0102030405060708090a0b0c0d0e0f10111213141516171819', 'hex'),
      Buffer.alloc(50, 0xcd),
      '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
    ],
    [Buffer.alloc(20, 0x0c), Buffer.from('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    [
      Buffer.alloc(80, 0xaa),
      Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    ],
    [
      Buffer.alloc(80, 0xaa),
      Buffer.from('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
    ],
  ];
  for (const [key, data, mac] of cases) assert.equal(hmacSha1(key, data).toString('hex'), mac);
});
