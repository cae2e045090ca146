import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseUserData, reassemble, segmentPush, submitSmFields } from '../../../src/codec/index.js';
import { BootlineError, isBootlineError } from '../../../src/errors.js';
import { hex } from './fixtures.js';

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));

test('one segment: port UDH 06 05 04 0B 84 23 F0 and up to 133 octets (3GPP TS 23.040 §9.2.3.24.4)', () => {
  const segs = segmentPush(bytes(133), { reference: 9 });
  assert.equal(segs.length, 1);
  assert.equal(hex(segs[0]!.udh), '0605040B8423F0');
  assert.equal(segs[0]!.shortMessage.length, 140);
  assert.deepEqual([segs[0]!.esmClass, segs[0]!.dataCoding, segs[0]!.registeredDelivery], [0x40, 0x04, 0x01]);
});

test('concatenated, 8-bit reference: 0B 05 04 0B 84 23 F0 00 03 ref n i, 128 octets each', () => {
  const segs = segmentPush(bytes(347), { reference: 0x2a, dataCoding: 0xf5 });
  assert.deepEqual(
    segs.map((s) => hex(s.udh)),
    ['0B05040B8423F000032A0301', '0B05040B8423F000032A0302', '0B05040B8423F000032A0303'],
  );
  assert.deepEqual(
    segs.map((s) => s.payload.length),
    [128, 128, 91],
    'Kannel splits Example A + USERPIN the same way',
  );
  assert.ok(segs.every((s) => s.shortMessage.length <= 140 && s.dataCoding === 0xf5));
});

test('concatenated, 16-bit reference: 08 04 refHi refLo n i, 127 octets each', () => {
  const segs = segmentPush(bytes(134), { reference: 0x1234, referenceBits: 16, registeredDelivery: 0 });
  assert.deepEqual(
    segs.map((s) => hex(s.udh)),
    ['0C05040B8423F0080412340201', '0C05040B8423F0080412340202'],
  );
  assert.deepEqual(
    segs.map((s) => s.payload.length),
    [127, 7],
  );
  assert.equal(segs[0]!.registeredDelivery, 0);
});

test('255 segments is the limit; one octet more is SMS_TOO_MANY_SEGMENTS with the offset that no longer fits', () => {
  assert.equal(segmentPush(bytes(255 * 128), { reference: 1 }).length, 255);
  assert.throws(
    () => segmentPush(bytes(255 * 128 + 1), { reference: 1 }),
    (e) => isBootlineError(e, 'SMS_TOO_MANY_SEGMENTS') && e.details.offset === 255 * 128,
  );
  assert.throws(
    () => segmentPush(bytes(255 * 127 + 1), { reference: 1, referenceBits: 16 }),
    (e) => isBootlineError(e, 'SMS_TOO_MANY_SEGMENTS'),
  );
});

test('bad segmentation options are CODEC_BAD_OPTION', () => {
  const bad: object[] = [
    { reference: 256 },
    { reference: -1 },
    { reference: 70000, referenceBits: 16 },
    { reference: 1, dataCoding: 0xf4 },
    { reference: 1, destinationPort: 70000 },
    { reference: 1, referenceBits: 7 },
  ];
  for (const o of bad)
    assert.throws(
      () => segmentPush(bytes(10), o as never),
      (e) => isBootlineError(e, 'CODEC_BAD_OPTION'),
      JSON.stringify(o),
    );
  assert.throws(
    () => segmentPush(new Uint8Array(0), { reference: 1 }),
    (e) => isBootlineError(e, 'CODEC_BAD_OPTION'),
  );
});

test('property: segment → shuffle → reassemble gives back the PDU, for both reference sizes', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      fc.nat({ max: 0xffff }),
      fc.boolean(),
      fc.nat(),
      (pdu, ref, wide, seed) => {
        const segs = segmentPush(pdu, { reference: wide ? ref : ref & 0xff, referenceBits: wide ? 16 : 8 });
        const sms = segs.map((s) => s.shortMessage);
        for (let i = sms.length - 1; i > 0; i--) {
          const j = (seed + i * 31) % (i + 1);
          [sms[i], sms[j]] = [sms[j]!, sms[i]!];
        }
        return (
          Buffer.compare(reassemble(sms), pdu) === 0 &&
          segs.every((s) => s.shortMessage.length <= 140 && parseUserData(s.shortMessage).udh.destinationPort === 2948)
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('reassembly rejects missing, duplicate and foreign segments', () => {
  const a = segmentPush(bytes(300), { reference: 1 }).map((s) => s.shortMessage);
  const b = segmentPush(bytes(300), { reference: 2 }).map((s) => s.shortMessage);
  const fails = (sms: Uint8Array[]) =>
    assert.throws(
      () => reassemble(sms),
      (e) => isBootlineError(e, 'SMS_REASSEMBLY_FAILED'),
    );
  fails([]);
  fails([a[0]!, a[1]!]);
  fails([a[0]!, a[1]!, a[1]!]);
  fails([a[0]!, a[1]!, b[2]!]);
  fails([segmentPush(bytes(10), { reference: 1 })[0]!.shortMessage, a[0]!]);
});

test('corrupt UDH: UDH_INVALID with offsets', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['0B0504', 0],
    ['0505040B8400', 1],
    ['0500030A0000', 1],
    ['050003010203', 1],
    ['0405020B84', 1],
    ['0400020A0B', 1],
  ];
  for (const [h, off] of cases)
    assert.throws(
      () => parseUserData(Buffer.from(h, 'hex')),
      (e) => isBootlineError(e, 'UDH_INVALID') && e.details.offset === off,
      h,
    );
  assert.throws(
    () => parseUserData(Buffer.alloc(141)),
    (e) => isBootlineError(e, 'UDH_INVALID'),
  );
});

test('fuzz: parseUserData on random bytes never throws anything but a BootlineError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 150 }), (b) => {
      try {
        parseUserData(b);
        return true;
      } catch (e) {
        if (e instanceof BootlineError) return true;
        throw e;
      }
    }),
    { numRuns: 5000 },
  );
});

test('submit_sm field set per segment (SMPP 3.4 §4.4.1; UDHI and DCS as Kannel smsc_smpp.c)', () => {
  const seg = segmentPush(bytes(200), { reference: 5, dataCoding: 0xf5 })[1]!;
  const f = submitSmFields(seg, { sourceAddr: 'DMSERVER', destinationAddr: '+447700900123' });
  assert.deepEqual(
    { ...f, short_message: hex(f.short_message) },
    {
      service_type: '',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'DMSERVER',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '447700900123',
      esm_class: 0x40,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 1,
      replace_if_present_flag: 0,
      data_coding: 0xf5,
      sm_default_msg_id: 0,
      short_message: hex(seg.shortMessage),
    },
  );
  assert.equal(submitSmFields(seg, { sourceAddr: '+4412345', destinationAddr: '1' }).source_addr_ton, 1);
});
