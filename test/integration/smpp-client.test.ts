import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseSmppUrl } from '../../src/config/config.js';
import { DevSmsc } from '../../src/dev/smsc/server.js';
import { isBootlineError } from '../../src/errors.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { DeliveryReceipt } from '../../src/smpp/receipt.js';
import { SmppClient, type SubmitFields } from '../../src/smpp/client.js';
import { COMMAND_STATUS } from '../../src/smpp/status.js';
import { waitFor } from '../helpers/stack.js';

const logger = silentLogger();
const refuse = new Map<string, number>();
let smsc: DevSmsc;
let port: number;

before(async () => {
  smsc = new DevSmsc({
    logger,
    receiptDelayMs: 10,
    statusFor: ({ destinationAddr }) => refuse.get(destinationAddr) ?? 0,
  });
  port = await smsc.listen(0);
});
after(() => smsc.close());

function client(password = 'devpass', responseTimeoutMs = 1_000) {
  return new SmppClient({
    target: parseSmppUrl(`smpp://bootline:${password}@127.0.0.1:${port}`),
    logger,
    responseTimeoutMs,
    reconnectMinMs: 20,
  });
}

const binary = (to: string, bytes: number[]): SubmitFields => ({
  source_addr: 'BOOTLINE',
  source_addr_ton: 5,
  source_addr_npi: 0,
  destination_addr: to,
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  esm_class: 0x40,
  data_coding: 0x04,
  registered_delivery: 1,
  short_message: Buffer.from(bytes),
});

test('binds, submits binary SMS byte-exact, and receives the delivery receipt', async () => {
  const c = client();
  const receipts: DeliveryReceipt[] = [];
  c.on('receipt', (r) => receipts.push(r));
  c.start();
  try {
    const sm = [0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x01, 0x06, 0x01, 0xb6, 0x03, 0x0b, 0x6a, 0x00, 0x45, 0x01];
    const { messageId } = await c.submit(binary('447400123456', sm));
    const got = smsc.received.find((r) => r.messageId === messageId);
    assert.ok(got);
    assert.deepEqual([...got.shortMessage], sm);
    assert.equal(got.esmClass, 0x40);
    assert.equal(got.dataCoding, 0x04);
    assert.equal(got.destinationAddr, '447400123456');
    const r = await waitFor('receipt', () => receipts.find((x) => x.messageId === messageId));
    assert.equal(r.state, 'DELIVRD');
  } finally {
    await c.close();
  }
});

test('command statuses map to throttle, permanent and temporary errors', async () => {
  const c = client();
  c.start();
  try {
    refuse.set('1', COMMAND_STATUS.ESME_RTHROTTLED);
    refuse.set('2', COMMAND_STATUS.ESME_RINVDSTADR);
    refuse.set('3', COMMAND_STATUS.ESME_RSYSERR);
    const expect = { '1': 'SMPP_THROTTLED', '2': 'SMPP_REJECTED', '3': 'SMPP_TEMPORARY' } as const;
    for (const [to, code] of Object.entries(expect)) {
      await assert.rejects(c.submit(binary(to, [1])), (err) => isBootlineError(err, code), `${to} → ${code}`);
    }
  } finally {
    await c.close();
  }
});

test('a bad password never binds; submit fails as not connected', async () => {
  const c = client('wrong', 300);
  c.start();
  try {
    await assert.rejects(c.submit(binary('447400123456', [1])), (err) => isBootlineError(err, 'SMPP_NOT_CONNECTED'));
  } finally {
    await c.close();
  }
});

test('reconnects on a fresh session after the SMSC drops the connection', async () => {
  const c = client();
  c.start();
  try {
    await c.waitBound(2_000);
    const unbound = new Promise<void>((r) => c.once('unbound', () => r()));
    smsc.dropConnections();
    await unbound;
    const { messageId } = await c.submit(binary('447400123456', [2]));
    assert.ok(smsc.received.some((r) => r.messageId === messageId));
  } finally {
    await c.close();
  }
});
