import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPush, segmentPush } from '../../src/codec/index.js';
import { SegmentAssembler } from '../../src/dev/handset/assembler.js';
import { pinHeard } from '../../src/dev/handset/control-client.js';
import { simulatedImei } from '../../src/dev/handset/phone.js';
import { testDns } from '../../src/dev/handset/test-dns.js';
import type { ReceivedSubmit } from '../../src/dev/smsc/pdu.js';
import { EXAMPLE_A } from './codec/fixtures.js';

const sm = (to: string, shortMessage: Uint8Array, esmClass = 0x40): ReceivedSubmit => ({
  systemId: 's',
  messageId: '1',
  sourceAddr: 'B',
  destinationAddr: to,
  esmClass,
  dataCoding: 4,
  registeredDelivery: 0,
  shortMessage: Buffer.from(shortMessage),
  at: new Date(),
  session: 1,
});

test('segments: any order, two numbers interleaved with the same reference, other ports ignored', () => {
  const wsp = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' }).wsp;
  const a = segmentPush(wsp, { reference: 7 });
  const b = segmentPush(wsp, { reference: 7 });
  assert.ok(a.length >= 3);
  const asm = new SegmentAssembler();
  const done = [];
  const other = segmentPush(wsp, { reference: 8, destinationPort: 9999 });
  for (const s of other) assert.equal(asm.add(sm('447400000001', s.shortMessage)), null, 'not the WAP Push port');
  assert.equal(asm.add(sm('447400000001', Buffer.from('text'), 0)), null, 'no UDH');
  for (let i = a.length - 1; i >= 0; i--) {
    done.push(asm.add(sm('447400000001', a[i]!.shortMessage)));
    done.push(asm.add(sm('447400000002', b[(i + 1) % b.length]!.shortMessage)));
  }
  const complete = done.filter((d) => d !== null);
  assert.deepEqual(complete.map((d) => d.msisdn).sort(), ['+447400000001', '+447400000002']);
  for (const d of complete) assert.deepEqual(Buffer.from(d.wsp), Buffer.from(wsp));
});

test('the PIN is read from what the hotline says, in either language, and not from menu digits', () => {
  assert.equal(pinHeard(['Your PIN is 0 6 5, 7 6 1. Again, your PIN is 0 6 5, 7 6 1.']), '065761');
  assert.equal(pinHeard(['Su PIN es 1 2 3, 4 5 6. Repito, su PIN es 1 2 3, 4 5 6.']), '123456');
  assert.equal(pinHeard(['To hear the PIN again, press 1. To finish, press 2.']), undefined);
  assert.equal(pinHeard(['Please hold.', 'Your PIN is 2 4 6 8 0, 1 3 5 7 9.']), '2468013579');
});

test('simulated IMEIs are stable, 15 digits, and pass the Luhn check', () => {
  const imei = simulatedImei('+447400123456');
  assert.equal(imei, simulatedImei('+447400123456'));
  assert.notEqual(imei, simulatedImei('+447400123457'));
  assert.match(imei, /^35999999\d{7}$/);
  const sum = [...imei].reverse().reduce((s, c, i) => {
    const d = Number(c) * (i % 2 ? 2 : 1);
    return s + (d > 9 ? d - 9 : d);
  }, 0);
  assert.equal(sum % 10, 0);
});

test('the test DNS maps a DM host to loopback over HTTP and leaves other addresses alone', () => {
  const hosts = { 'dm.example.com': '127.0.0.1:4000' };
  assert.equal(testDns('https://dm.example.com/dm?x=1', hosts), 'http://127.0.0.1:4000/dm?x=1');
  assert.equal(testDns('https://dm.example.com:8443/dm', hosts), 'http://127.0.0.1:4000/dm');
  assert.equal(testDns('https://other.example.com/dm', hosts), 'https://other.example.com/dm');
  assert.equal(testDns('not a url', hosts), 'not a url');
});
