import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimitError, UnrecoverableError } from 'bullmq';
import { segmentPush } from '../../../src/codec/index.js';
import { submitAddress, submitFields } from '../../../src/codec/sms/submit-fields.js';
import { encodeTextParts } from '../../../src/codec/sms/text.js';
import { bootstrapIdForCall, registerJobId } from '../../../src/deliveries/ids.js';
import { SmscRefIndex } from '../../../src/deliveries/receipts/smsc-ref-index.js';
import { BootlineError } from '../../../src/errors.js';
import { isE164 } from '../../../src/platform/e164.js';
import { randomDigits } from '../../../src/platform/random-digits.js';
import { THROTTLE_BACKOFF_MS, toJobError } from '../../../src/queues/job-error.js';

test('SMSC reference index: remembers ids, forgets the oldest beyond its bound', () => {
  const refs = new SmscRefIndex(3);
  for (let i = 1; i <= 4; i++) refs.remember(`id${i}`, { id: `bs-${i}`, round: 1, index: i });
  assert.equal(refs.size, 3);
  assert.equal(refs.has('id1'), false, 'the oldest went first');
  assert.deepEqual(refs.get('id4'), { id: 'bs-4', round: 1, index: 4 });
  assert.equal(refs.get('nope'), undefined);
  // Two indexes (two SMPP clients in one process) never see each other's ids.
  assert.equal(new SmscRefIndex().has('id4'), false);
});

test('toJobError: permanent → UnrecoverableError, throttle → queue rate limit + RateLimitError, else as is', async () => {
  const paused: number[] = [];
  const rateLimit = async (ms: number) => {
    paused.push(ms);
  };
  const permanent = await toJobError(new BootlineError('SMPP_REJECTED', 'no'), { rateLimit });
  assert.ok(permanent instanceof UnrecoverableError);
  assert.equal((permanent as Error).message, 'SMPP_REJECTED: no');
  assert.ok((await toJobError(new BootlineError('SMPP_THROTTLED', 'slow'), { rateLimit })) instanceof RateLimitError);
  assert.deepEqual(paused, [THROTTLE_BACKOFF_MS]);
  const retry = new BootlineError('SMPP_TIMEOUT', 'late');
  assert.equal(await toJobError(retry, { rateLimit }), retry, 'retryable: BullMQ backs off');
  const plain = new Error('boom');
  assert.equal(await toJobError(plain), plain);
  const throttledNoLimit = new BootlineError('SMPP_TPS_LIMIT', 'slow');
  assert.equal(await toJobError(throttledNoLimit), throttledNoLimit, 'no rate limit: an ordinary retry');
  assert.ok((await toJobError(retry, { lastAttempt: true })) instanceof UnrecoverableError, 'nothing left to retry');
  assert.equal(paused.length, 1);
});

test('submit_sm addresses: a numeric sender with or without "+" is international, a name alphanumeric', () => {
  assert.deepEqual(submitAddress('+447700900999', '+447700900123'), {
    source_addr: '447700900999',
    source_addr_ton: 1,
    source_addr_npi: 1,
    destination_addr: '447700900123',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
  });
  assert.deepEqual(
    [submitAddress('447700900999', '+1').source_addr, submitAddress('447700900999', '+1').source_addr_ton],
    ['447700900999', 1],
  );
  const named = submitAddress('BOOTLINE', '+447700900123');
  assert.deepEqual([named.source_addr, named.source_addr_ton, named.source_addr_npi], ['BOOTLINE', 5, 0]);
  // '+' in the middle is not a number: sent as it is, alphanumeric.
  assert.equal(submitAddress('A+1', '+1').source_addr_ton, 5);
});

test('submit_sm fields: a push segment asks for a receipt, a text part does not; bytes are the part itself', () => {
  const address = submitAddress('BOOTLINE', '+447700900123');
  const seg = segmentPush(new Uint8Array(300).fill(7), { reference: 9 })[0]!;
  const f = submitFields(seg, address);
  assert.equal(f.registered_delivery, 1);
  assert.equal(f.esm_class, 0x40);
  assert.ok(Buffer.isBuffer(f.short_message));
  assert.deepEqual([...f.short_message], [...seg.shortMessage]);
  const part = encodeTextParts('a'.repeat(200), 3)[1]!;
  const t = submitFields(part, address);
  assert.equal(t.registered_delivery, 0);
  assert.equal(t.short_message, part.shortMessage, 'a Buffer is passed on, not copied');
  assert.deepEqual([...t.short_message.subarray(0, 6)], [0x05, 0x00, 0x03, 3, 2, 2]);
});

test('bootstrap identity: one id per call, one dm-register child per round', () => {
  assert.equal(bootstrapIdForCall('CA0123abc'), 'bs-CA0123abc');
  assert.throws(() => bootstrapIdForCall('CA:1'), /unexpected characters/);
  assert.equal(registerJobId('bs-CA1', 2), 'dmreg-bs-CA1-r2');
});

test('E.164 shape and random digits', () => {
  assert.deepEqual(
    ['+447700900123', '+1234567', '+123456', '+0447700900123', '447700900123', '+1234567890123456', 7].map(isE164),
    [true, true, false, false, false, false, false],
  );
  const pins = Array.from({ length: 200 }, () => randomDigits(6));
  assert.ok(pins.every((p) => /^\d{6}$/.test(p)));
  assert.ok(new Set(pins.join('')).size === 10, 'every digit appears');
});
