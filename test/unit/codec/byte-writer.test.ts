import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteWriter } from '../../../src/codec/wbxml/byte-writer.js';

/** The working buffer a writer holds (private: the recycling is what is under test). */
const inner = (w: ByteWriter) => (w as unknown as { buf: Buffer }).buf;

test('finish() returns exactly the bytes written, across growth of the working buffer', () => {
  const w = new ByteWriter(8);
  const long = 'é'.repeat(600); // 1,200 UTF-8 bytes: grows past the first buffer
  const out = w
    .byte(0x03)
    .bytes(Uint8Array.of(1, 2, 3))
    .utf8('ab')
    .utf8(long)
    .finish();
  assert.deepEqual(Buffer.from(out), Buffer.concat([Buffer.of(0x03, 1, 2, 3), Buffer.from('ab' + long, 'utf8')]));
});

test('the recycled working buffer keeps no byte of the last document (credentials in it)', () => {
  const secret = 'AAUTHSECRET-0f3c9e';
  const first = new ByteWriter();
  first.utf8(`<characteristic type="APPAUTH"><parm name="AAUTHSECRET" value="${secret}"/>`);
  const used = inner(first);
  const out = first.finish();
  assert.ok(Buffer.from(out).includes(secret), 'the output is the document');
  const next = new ByteWriter();
  assert.equal(inner(next), used, 'the next writer starts from the recycled buffer');
  assert.equal(used.includes(secret), false, 'which no longer holds the secret');
  assert.ok(used.subarray(0, out.length).every((b) => b === 0));
});
