import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFaults, TokenBucket } from '../../../src/dev/smsc/faults.js';
import { signBody, verifyBody } from '../../../src/dm/signature.js';
import { hashToken, roleFor } from '../../../src/platform/http/auth.js';
import { bootstrapView } from '../../../src/deliveries/view.js';
import { Window } from '../../../src/smpp/pacer.js';
import { encodeTextParts } from '../../../src/codec/sms/text.js';
import { toRecord } from '../../../src/deliveries/record.js';

test('text parts: 160 septets fit one SMS, 161 need two; an ESC pair or a surrogate pair is never split', () => {
  assert.equal(encodeTextParts('a'.repeat(160), 1).length, 1);
  const two = encodeTextParts('a'.repeat(161), 9);
  assert.equal(two.length, 2);
  assert.deepEqual([...two[1]!.shortMessage.subarray(0, 6)], [0x05, 0x00, 0x03, 9, 2, 2]);
  const esc = encodeTextParts('a'.repeat(152) + '€' + 'b'.repeat(10), 1); // € = 1B 65 would straddle 153
  assert.equal(esc[0]!.shortMessage.length - 6, 152);
  assert.deepEqual([...esc[1]!.shortMessage.subarray(6, 8)], [0x1b, 0x65]);
  const emoji = encodeTextParts('ж'.repeat(66) + '😀' + 'ж', 1); // 66×2 + 4 octets > 134
  assert.equal(emoji[0]!.shortMessage.length - 6, 132);
  assert.equal(emoji[0]!.dataCoding, 0x08);
});

test('fault switches parse the operator syntax and refuse unknown words', () => {
  const f = parseFaults(
    'throttle=5 reject=+447400000001 reject=447400000002:0x45 receipts=withhold receipt-state=UNDELIV drop-after=3',
  );
  assert.deepEqual(f, {
    reject: { '447400000001': 0x0b, '447400000002': 0x45 },
    throttleTps: 5,
    receipts: 'withhold',
    receiptState: 'UNDELIV',
    dropAfter: 3,
  });
  assert.deepEqual(parseFaults('accept=447400000001 throttle=off', f).reject, { '447400000002': 0x45 });
  assert.deepEqual(parseFaults('clear', f), {});
  assert.throws(() => parseFaults('explode'), /unknown fault switch/);
});

test('token bucket allows the burst, then refuses', () => {
  const b = new TokenBucket(1, 3);
  assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
});

test('window hands slots out first come, first served', async () => {
  const w = new Window(1);
  await w.acquire();
  const order: number[] = [];
  const a = w.acquire().then(() => order.push(1));
  const b = w.acquire().then(() => order.push(2));
  assert.equal(w.queued, 2);
  w.release();
  await a;
  w.release();
  await b;
  assert.deepEqual(order, [1, 2]);
});

test('DM registration signature: HMAC-SHA256 over timestamp.body, ±5 min, constant-time', () => {
  const now = 1_800_000_000;
  const sig = signBody('s3cret-s3cret-s3cret', now, '{"a":1}');
  assert.match(sig, /^v1=[0-9a-f]{64}$/);
  assert.equal(
    verifyBody('s3cret-s3cret-s3cret', { timestamp: String(now), signature: sig }, '{"a":1}', now + 299),
    true,
  );
  assert.equal(
    verifyBody('s3cret-s3cret-s3cret', { timestamp: String(now), signature: sig }, '{"a":2}', now),
    false,
    'body covered',
  );
  assert.equal(
    verifyBody('s3cret-s3cret-s3cret', { timestamp: String(now + 1), signature: sig }, '{"a":1}', now),
    false,
    'timestamp covered',
  );
  assert.equal(
    verifyBody('s3cret-s3cret-s3cret', { timestamp: String(now), signature: sig }, '{"a":1}', now + 301),
    false,
    'too old',
  );
});

test('API tokens: SHA-256 stored, Bearer or Basic presented, unknown → null', () => {
  const tokens = [
    { role: 'agent' as const, sha256: hashToken('t-agent') },
    { role: 'operator' as const, sha256: hashToken('t-op') },
  ];
  assert.equal(roleFor(tokens, 'Bearer t-op'), 'operator');
  assert.equal(roleFor(tokens, `Basic ${Buffer.from('any:t-agent').toString('base64')}`), 'agent');
  assert.equal(roleFor(tokens, 'Bearer t-nope'), null);
  assert.equal(roleFor(tokens, undefined), null);
  assert.equal(roleFor(tokens, 'Token t-op'), null);
});

test('the status view never carries the sealed credentials or the full number', () => {
  const rec = toRecord(
    {
      id: 'bs-1',
      msisdn: '+447700900123',
      status: 'submitted',
      round: '1',
      createdAt: 'a',
      updatedAt: 'b',
      cred: 'SEALED',
      segments: '2',
    },
    { 1: '0001', 2: '0002' },
    { '0001': 'DELIVRD|000|t' },
  );
  const text = JSON.stringify(bootstrapView(rec));
  assert.ok(!text.includes('SEALED') && !text.includes('447700900123'));
  assert.deepEqual(bootstrapView(rec).segments, [
    { segment: 1, smscId: '0001', receipt: { state: 'DELIVRD', err: '000', at: 't' } },
    { segment: 2, smscId: '0002', receipt: null },
  ]);
});
