import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildWspPush, parsePush } from '../../../src/codec/index.js';
import { BootlineError, isBootlineError, type ErrorCode } from '../../../src/errors.js';
import { hex } from './fixtures.js';

const MAC = '33E8ED0129DCFBBAD2E762BB01A8A8C488EEA577'; // Kannel's USERPIN MAC of Example A (vectors/kannel/example-a-userpin.segments.hex)
const BODY = Buffer.from('030B6A004501', 'hex');

test('CP USERPIN push: exactly the bytes Kannel gw/ota_prov.c emits (WAP-230 §8.2.4.1, §8.4.2.24)', () => {
  const wsp = buildWspPush({ tid: 1, contentType: 0x36, sec: 'USERPIN', mac: MAC, body: BODY });
  assert.equal(hex(wsp), '01062F1F2DB6918192' + hex(Buffer.from(MAC)) + '00' + '030B6A004501');
});

test('DM push with X-Wap-Application-Id 0x07: 01 06 31 1F 2D C2 91 80 92 <MAC> 00 AF 87 (WAP-230 §8.2.4.1; header 0x2F, OMNA push app id 7)', () => {
  const wsp = buildWspPush({ tid: 1, contentType: 0x42, sec: 'NETWPIN', mac: MAC, applicationId: 7, body: BODY });
  assert.equal(hex(wsp), '0106311F2DC2918092' + hex(Buffer.from(MAC)) + '00AF87' + '030B6A004501');
  const p = parsePush(wsp);
  assert.equal(p.headersLength, 49);
  assert.equal(p.contentType.mediaType, 'application/vnd.syncml.dm+wbxml');
  assert.equal(p.sec, 'NETWPIN');
  assert.equal(p.mac, MAC);
  assert.equal(p.applicationId, 7);
  assert.equal(hex(p.body), '030B6A004501');
});

test('no security: constrained media form 01 06 01 B6', () => {
  assert.equal(hex(buildWspPush({ tid: 1, contentType: 0x36, body: BODY })), '010601B6030B6A004501');
  assert.deepEqual(parsePush(Buffer.from('010601B6030B6A004501', 'hex')).contentType, {
    code: 0x36,
    mediaType: 'application/vnd.wap.connectivity-wbxml',
    params: [],
  });
});

test('all four SEC values round-trip through build and parse', () => {
  for (const [sec, v] of [
    ['NETWPIN', 0],
    ['USERPIN', 1],
    ['USERNETWPIN', 2],
    ['USERPINMAC', 3],
  ] as const) {
    const p = parsePush(buildWspPush({ tid: 0xab, contentType: 0x36, sec, mac: MAC, body: BODY }));
    assert.equal(p.tid, 0xab);
    assert.equal(p.sec, sec);
    assert.equal(p.secValue, v);
  }
});

test('parser reads forms we do not emit: short-length value, textual media type, text header', () => {
  // Value-length 3 (short form), SEC only; then an application header "X-Foo: bar".
  const p = parsePush(Buffer.from('0106' + '0E' + '03B69181' + hex(Buffer.from('X-Foo\0bar\0')) + 'AA', 'hex'));
  assert.equal(p.sec, 'USERPIN');
  assert.deepEqual(p.headers, [{ name: 'X-Foo', value: 'bar' }]);
  const t = parsePush(
    Buffer.concat([Buffer.from('010617', 'hex'), Buffer.from('application/vnd.x-test\0'), Buffer.from('AFFF', 'hex')]),
  );
  assert.equal(t.contentType.mediaType, 'application/vnd.x-test');
  assert.equal(hex(t.body), 'AFFF');
});

function rejects(bytes: string, code: ErrorCode, offset: number) {
  assert.throws(
    () => parsePush(Buffer.from(bytes.replace(/\s+/g, ''), 'hex')),
    (e) => isBootlineError(e, code) && e.details.offset === offset,
    `${bytes} → ${code}@${offset}`,
  );
}

test('corrupt WSP: typed errors with offsets', () => {
  rejects('', 'WSP_TRUNCATED', 0);
  rejects('01', 'WSP_TRUNCATED', 1);
  rejects('01 07 01 B6', 'WSP_BAD_PDU', 1);
  rejects('01 06', 'WSP_TRUNCATED', 2);
  rejects('01 06 2F 1F 2D B6', 'WSP_TRUNCATED', 2);
  rejects('01 06 00 03', 'WSP_BAD_HEADER', 2);
  rejects('01 06 8F FF FF FF FF 7F', 'WBXML_INTEGER_OVERFLOW', 2);
  rejects('01 06 02 1F 2D', 'WSP_BAD_HEADER', 3);
  rejects('01 06 04 03 B6 92 41', 'WSP_BAD_HEADER', 6);
  rejects('01 06 02 B6 01', 'WSP_BAD_HEADER', 4);
  rejects('01 06 03 02 B6 91', 'WSP_BAD_HEADER', 6);
});

test('fuzz: parsePush on random bytes → result or BootlineError with offset', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (tail, push) => {
      const b = push ? Buffer.concat([Buffer.from([1, 6]), tail]) : Buffer.from(tail);
      try {
        parsePush(b);
        return true;
      } catch (e) {
        if (e instanceof BootlineError && typeof e.details.offset === 'number') return true;
        throw e;
      }
    }),
    { numRuns: 5000 },
  );
});

test('bad build options are CODEC_BAD_OPTION', () => {
  for (const bad of [{ tid: 256 }, { tid: -1 }, { applicationId: 200 }, { mac: 'abc' }, { contentType: 0x80 }]) {
    assert.throws(
      () => buildWspPush({ tid: 1, contentType: 0x36, sec: 'USERPIN', mac: MAC, body: BODY, ...bad }),
      (e) => isBootlineError(e, 'CODEC_BAD_OPTION'),
      JSON.stringify(bad),
    );
  }
});
