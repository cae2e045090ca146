import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeMbUint32, readMbUint32 } from '../../../src/codec/index.js';
import { isBootlineError } from '../../../src/errors.js';

// WBXML §5.1 examples: 0xA0 → 81 20; 0x60 → 60; plus the SyncML 1.2 public id 0x1201 (libwbxml wbxml_tables.h).
test('mb_u_int32 known encodings', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [0x60, '60'],
    [0x7f, '7f'],
    [0x80, '8100'],
    [0xa0, '8120'],
    [0x1201, 'a401'],
    [145, '8111'],
    [0xffffffff, '8fffffff7f'],
  ];
  for (const [n, h] of cases) {
    assert.equal(Buffer.from(encodeMbUint32(n)).toString('hex'), h, `encode ${n}`);
    assert.deepEqual(readMbUint32(Buffer.from(h, 'hex'), 0), { value: n, next: h.length / 2 });
  }
});

test('mb_u_int32 round-trips every 32-bit value and reports its length', () => {
  fc.assert(
    fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 8 }), (n, pad) => {
      const enc = encodeMbUint32(n);
      const buf = Buffer.concat([Buffer.alloc(pad), enc, Buffer.from([0x55])]);
      const r = readMbUint32(buf, pad);
      return r.value === n && r.next === pad + enc.length && enc.length <= 5;
    }),
    { numRuns: 2000 },
  );
});

test('mb_u_int32 rejects >5 octets, values above 2^32-1, truncation and bad inputs with offsets', () => {
  assert.throws(
    () => readMbUint32(Buffer.from('808080808001', 'hex'), 0),
    (e) => isBootlineError(e, 'WBXML_INTEGER_OVERFLOW') && e.details.offset === 0,
  );
  assert.throws(
    () => readMbUint32(Buffer.from('00 9fffffff7f'.replace(' ', ''), 'hex'), 1),
    (e) => isBootlineError(e, 'WBXML_INTEGER_OVERFLOW') && e.details.offset === 1,
  );
  assert.throws(
    () => readMbUint32(Buffer.from('0081', 'hex'), 1),
    (e) => isBootlineError(e, 'WBXML_TRUNCATED') && e.details.offset === 2,
  );
  assert.throws(
    () => readMbUint32(Buffer.from('81', 'hex'), 0, 'WSP_TRUNCATED'),
    (e) => isBootlineError(e, 'WSP_TRUNCATED'),
  );
  for (const bad of [-1, 2 ** 32, 1.5, NaN])
    assert.throws(
      () => encodeMbUint32(bad),
      (e) => isBootlineError(e, 'WBXML_INTEGER_OVERFLOW'),
    );
});
