import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReceipt } from '../../src/smpp/receipt.js';
import { classifyStatus, statusName } from '../../src/smpp/status.js';

test('receipt TLVs win over the text', () => {
  assert.deepEqual(
    parseReceipt({
      esm_class: 0x04,
      receipted_message_id: 'A1',
      message_state: 5,
      short_message: { message: 'id:zz stat:DELIVRD err:000' },
    }),
    { messageId: 'A1', state: 'UNDELIV', error: '000' },
  );
});

test('the SMPP 3.4 Appendix B text is the fallback', () => {
  const text = 'id:0000abcd sub:001 dlvrd:001 submit date:2611251200 done date:2611251201 stat:EXPIRED err:027 text:';
  assert.deepEqual(parseReceipt({ esm_class: 0x04, short_message: Buffer.from(text) }), {
    messageId: '0000abcd',
    state: 'EXPIRED',
    error: '027',
  });
});

test('ordinary deliver_sm (no receipt bit) and unparseable receipts are not receipts', () => {
  assert.equal(parseReceipt({ esm_class: 0x00, short_message: 'hello' }), null);
  assert.equal(parseReceipt({ esm_class: 0x04, short_message: 'garbage' }), null);
});

test('SMSC statuses are classified', () => {
  assert.equal(classifyStatus(0x58), 'SMPP_THROTTLED');
  assert.equal(classifyStatus(0x14), 'SMPP_THROTTLED');
  assert.equal(classifyStatus(0x0b), 'SMPP_REJECTED');
  assert.equal(classifyStatus(0x08), 'SMPP_TEMPORARY');
  assert.equal(classifyStatus(0x1234), 'SMPP_TEMPORARY');
  assert.equal(statusName(0x58), 'ESME_RTHROTTLED');
  assert.equal(statusName(0xabc), '0x00000abc');
});
