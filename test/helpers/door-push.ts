import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { DevSmsc } from '../../src/dev/smsc/server.js';
import { imsiKey } from '../../src/codec/index.js';
import { parseWspPush, splitUdh, type WspPush } from './push-bytes.js';

/**
 * What the dev SMSC received for one number, checked as the hotline's e2e test checks it:
 * binary WAP Push segments (UDHI, 8-bit, port 2948, one concatenation reference), the WSP
 * Push reassembled, the SEC/MAC verified with the key the SEC method names (OMA-WAP-TS-
 * ProvBoot §5.3: USERPIN = the PIN, NETWPIN = the IMSI as semi-octets), and libwbxml's
 * wbxml2xml reading the WBXML body.
 */
export function pushAt(
  smsc: DevSmsc,
  msisdn: string,
  key: { pin: string } | { imsi: string },
): { push: WspPush; segments: number; xml: string } {
  const segments = smsc.received.filter((r) => r.destinationAddr === msisdn.slice(1) && r.text === undefined);
  assert.ok(segments.length >= 1, `binary segments to ${msisdn}`);
  const parts = segments.map((s) => {
    assert.equal(s.esmClass & 0x40, 0x40, 'UDHI set');
    assert.equal(s.dataCoding, 0x04, '8-bit data');
    assert.ok(s.shortMessage.length <= 140, 'fits one TP-UD');
    const u = splitUdh(s.shortMessage);
    assert.equal(u.dstPort, 2948, 'WAP Push connectionless port');
    return u;
  });
  assert.equal(new Set(parts.map((p) => p.concat?.ref)).size, 1, 'one push (one concatenation reference)');
  assert.equal(parts[0]!.concat?.total ?? 1, segments.length, 'every segment of it, once');
  const pdu = Buffer.concat(parts.sort((a, b) => (a.concat?.seq ?? 1) - (b.concat?.seq ?? 1)).map((p) => p.payload));
  const push = parseWspPush(pdu);
  assert.equal(push.pduType, 0x06, 'WSP Push');
  const macKey = 'pin' in key ? Buffer.from(key.pin, 'ascii') : Buffer.from(imsiKey(key.imsi));
  assert.equal(push.sec, 'pin' in key ? 1 : 0, 'pin' in key ? 'SEC=USERPIN' : 'SEC=NETWPIN');
  const mac = createHmac('sha1', macKey).update(push.body).digest('hex').toUpperCase();
  assert.equal(push.mac, mac, 'MAC = HMAC-SHA1(key, WBXML body)');
  const xml = spawnSync('wbxml2xml', ['-m', '0', '-o', '-', '-'], { input: push.body, encoding: 'utf8' });
  assert.equal(xml.status, 0, `wbxml2xml (apt-get install libwbxml2-utils): ${xml.stderr}`);
  assert.ok(xml.stdout.includes('name="APPID" value="w7"'), 'a CP bootstrap for the DM server');
  return { push, segments: segments.length, xml: xml.stdout };
}
