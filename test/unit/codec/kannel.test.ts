// Kannel 1.4.5 is an independent encoder, signer and segmenter (test/vectors/kannel/SOURCE.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildWspPush,
  computeMac,
  decodeWbxml,
  parsePush,
  parseUserData,
  reassemble,
  segmentPush,
  parseXml,
  type SecInput,
} from '../../../src/codec/index.js';
import { hex, plain, vectorSegments, vectorText } from './fixtures.js';

const CASES: [string, SecInput, string?][] = [
  ['userpin', { method: 'USERPIN', pin: '1234' }, '33E8ED0129DCFBBAD2E762BB01A8A8C488EEA577'],
  ['netwpin', { method: 'NETWPIN', imsi: '466923103145252' }],
  ['usernetwpin', { method: 'USERNETWPIN', imsi: '466923103145252', pin: '1234' }],
  ['userpinmac', { method: 'USERPINMAC', userKey: '12345' }],
];

for (const [name, sec, knownMac] of CASES) {
  test(`Kannel ${name} push of Example A: our parser, MAC, decoder, framing and segmentation agree byte for byte`, () => {
    const sms = vectorSegments(`kannel/example-a-${name}.segments.hex`);
    const udhs = sms.map((s) => parseUserData(s).udh);
    assert.deepEqual(
      udhs.map((u) => [u.destinationPort, u.sourcePort, u.concat?.seq, u.concat?.total]),
      [
        [2948, 2948, 1, 3],
        [2948, 2948, 2, 3],
        [2948, 2948, 3, 3],
      ],
    );
    const wsp = reassemble(sms);
    assert.equal(wsp.length, 347, 'Kannel sendota: Example A + USERPIN = 347-byte WSP PDU');
    const p = parsePush(wsp);
    assert.equal(p.sec, sec.method);
    assert.equal(p.contentType.code, 0x36);
    // Kannel keys NETWPIN/USERNETWPIN with the semi-octet bytes we passed it: same key as imsiKey().
    assert.equal(p.mac, computeMac(p.body, sec));
    if (knownMac) assert.equal(p.mac, knownMac);
    assert.deepEqual(plain(decodeWbxml(p.body).doc.root), plain(parseXml(vectorText('documents/example-a.xml')).root));
    // Our WSP framing and segmentation of Kannel's own body reproduce Kannel's bytes exactly.
    const ours = buildWspPush({ tid: 1, contentType: 0x36, sec: sec.method, mac: p.mac!, body: p.body });
    assert.equal(hex(ours), hex(wsp));
    const ref = udhs[0]!.concat!.reference;
    assert.deepEqual(
      segmentPush(ours, { reference: ref, sourcePort: 2948 }).map((s) => hex(s.shortMessage)),
      sms.map(hex),
    );
  });
}
