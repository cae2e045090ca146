import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPush,
  computeMac,
  encodeWbxml,
  inspectPush,
  parsePush,
  reassemble,
  segmentPush,
  verifyMac,
  verifyUserPinMacCode,
  type SecInput,
} from '../../../src/codec/index.js';
import { EXAMPLE_A, EXAMPLE_C, hex } from './fixtures.js';

const SECS: SecInput[] = [
  { method: 'NETWPIN', imsi: '466923103145252' },
  { method: 'USERPIN', pin: '1234' },
  { method: 'USERNETWPIN', imsi: '466923103145252', pin: '1234' },
  { method: 'USERPINMAC', userKey: '12345' },
];

for (const profile of ['cp', 'dm'] as const) {
  for (const sec of SECS) {
    test(`buildPush ${profile} ${sec.method}: MAC over the body, WSP fields, XML path identical`, () => {
      const input = profile === 'cp' ? { profile, model: EXAMPLE_A } : { profile, model: EXAMPLE_C };
      const built = buildPush(input, sec, { tid: 0x42 });
      assert.equal(built.mac, computeMac(built.body, sec));
      assert.match(built.mac, /^[0-9A-F]{40}$/);
      assert.equal(hex(encodeWbxml(built.xml)), hex(built.body), 'XML text re-encodes to the signed bytes');
      const p = parsePush(built.wsp);
      assert.equal(p.tid, 0x42);
      assert.equal(p.sec, sec.method);
      assert.equal(p.mac, built.mac);
      assert.equal(p.contentType.code, profile === 'cp' ? 0x36 : 0x42);
      assert.equal(p.applicationId, profile === 'dm' ? 7 : undefined);
      assert.equal(hex(p.body), hex(built.body));
      assert.ok(verifyMac(p.body, p.mac!, sec));
      if (sec.method === 'USERPINMAC') assert.ok(verifyUserPinMacCode(p.body, built.userCode!));
      const segs = segmentPush(built.wsp, { reference: 3 });
      assert.equal(hex(reassemble(segs.map((s) => s.shortMessage))), hex(built.wsp));
      const report = inspectPush(
        { segments: segs.map((s) => s.shortMessage) },
        { pin: '1234', imsi: '466923103145252', ...(built.userCode ? { userCode: built.userCode } : {}) },
      );
      assert.equal(report.mac.status, 'ok');
    });
  }
}

test('the MAC changes when one body byte changes, and another PIN fails verification', () => {
  const built = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' });
  assert.equal(verifyMac(built.body, built.mac, { method: 'USERPIN', pin: '1235' }), false);
  const report = inspectPush({ wsp: built.wsp }, { pin: '9999' });
  assert.equal(report.mac.status, 'mismatch');
  assert.equal(inspectPush({ wsp: built.wsp }).mac.status, 'unchecked');
});

test('options: WBXML version, string table, no App-Id, App-Id for CP', () => {
  const a = buildPush(
    { profile: 'dm', model: EXAMPLE_C },
    { method: 'USERPIN', pin: '1' },
    { wbxmlVersion: 3, stringTable: true, applicationId: null },
  );
  assert.equal(a.body[0], 3);
  assert.equal(parsePush(a.wsp).applicationId, undefined);
  assert.ok(a.body[4]! > 0, 'non-empty string table');
  const b = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1' }, { applicationId: 0 });
  assert.equal(parsePush(b.wsp).applicationId, 0);
});
