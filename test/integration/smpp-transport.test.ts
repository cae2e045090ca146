import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseSmppUrl } from '../../src/config/config.js';
import { DevSmsc } from '../../src/dev/smsc/server.js';
import { isBootlineError } from '../../src/errors.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { DeliveryReceipt } from '../../src/smpp/receipt.js';
import { SmppClient, type SmppClientOptions, type SubmitFields } from '../../src/smpp/client.js';
import { waitFor } from '../helpers/stack.js';

// The transport's knobs against the dev SMSC over loopback; counts, not timings.
const logger = silentLogger();
let smsc: DevSmsc;

before(async () => {
  smsc = new DevSmsc({ logger, receiptDelayMs: 5 });
  await smsc.listen(0);
});
after(() => smsc.close());

function client(o: Partial<SmppClientOptions> = {}): SmppClient {
  const c = new SmppClient({
    target: parseSmppUrl(`smpp://bootline:devpass@127.0.0.1:${smsc.port}`),
    logger,
    responseTimeoutMs: 10_000, // generous: a loaded box can be slow to read a response
    reconnectMinMs: 20,
    reconnectMaxMs: 200,
    ...o,
  });
  c.start();
  return c;
}

const sm = (to: string, n: number): SubmitFields => ({
  source_addr: 'BOOTLINE',
  source_addr_ton: 5,
  source_addr_npi: 0,
  destination_addr: to,
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  esm_class: 0x40,
  data_coding: 0x04,
  registered_delivery: 1,
  short_message: Buffer.from([0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, n]),
});

/** Runs `fn` against a fresh SMSC state: counters and faults reset, received cleared. */
async function fresh(faults: DevSmsc['faults'], fn: () => Promise<void>): Promise<void> {
  smsc.received.length = 0;
  Object.assign(smsc.counts, { throttled: 0, refused: 0, unanswered: 0, drops: 0, maxPending: 0 });
  smsc.setFaults({ receiptDelayMs: 5, ...faults });
  await fn();
}

test('submit window: never more than `window` submit_sm await a response on a bind', () =>
  fresh({ respondDelayMs: 20 }, async () => {
    const c = client({ window: 3 });
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => c.submit(sm('447400400001', i))));
      assert.equal(smsc.received.length, 12);
      assert.equal(smsc.counts.maxPending, 3);
    } finally {
      await c.close();
    }
  }));

// The dev SMSC counts a submit when it reads it; on a busy box that can be well after the client
// sent it, so sends paced at the cap can reach it bunched. It allows 300 ms worth at once (as real
// SMSCs allow some burst): paced sends pass it even read up to a quarter second late, while 40
// sent at once (a window of 40, no cap) always overrun it.
test("TPS cap: at the SMSC's own limit nothing is throttled; uncapped, throttling slows the bind and nothing is lost", () =>
  fresh({ throttleTps: 100, throttleBurst: 30 }, async () => {
    const capped = client({ tps: 100 });
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => capped.submit(sm('447400400002', i))));
      assert.equal(smsc.counts.throttled, 0);
    } finally {
      await capped.close();
    }
    const uncapped = client({ window: 40, throttlePauseMs: 20, throttleRetries: 100 });
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => uncapped.submit(sm('447400400003', i))));
      assert.ok(smsc.counts.throttled > 0, 'the SMSC throttled the uncapped bind');
      assert.equal(smsc.received.length, 80, 'every throttled submit went again and was accepted');
    } finally {
      await uncapped.close();
    }
  }));

test('several binds: submits spread over every bound connection', () =>
  fresh({ respondDelayMs: 5 }, async () => {
    const c = client({ binds: 3 });
    try {
      await waitFor('3 binds', () => c.status().bound === 3);
      assert.equal(smsc.sessions, 3);
      await Promise.all(Array.from({ length: 30 }, (_, i) => c.submit(sm('447400400004', i))));
      assert.equal(new Set(smsc.received.map((r) => r.session)).size, 3);
    } finally {
      await c.close();
    }
  }));

test('transmitter + receiver mode: submits on transmitters, receipts on the receiver', () =>
  fresh({}, async () => {
    const receipts: DeliveryReceipt[] = [];
    const c = client({ binds: 2, bindMode: 'transmitter-receiver' });
    c.on('receipt', (r) => receipts.push(r));
    try {
      await waitFor('2 tx + 1 rx', () => c.status().bound === 2 && smsc.sessions === 3);
      const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => c.submit(sm('447400400005', i))));
      // Receipts for earlier tests' messages, held for want of a receiver, may arrive too: count ours.
      const mine = new Set(ids.map((x) => x.messageId));
      await waitFor(
        'receipts',
        () => new Set(receipts.filter((r) => mine.has(r.messageId)).map((r) => r.messageId)).size === 6,
      );
      assert.equal(new Set(smsc.received.map((r) => r.session)).size, 2, 'only the two transmitters carried submits');
    } finally {
      await c.close();
    }
  }));

test('an SMSC that stops answering: submits time out (retryable), the silent link is recycled, then it works again', () =>
  fresh({ silent: true }, async () => {
    const c = client({ responseTimeoutMs: 200, enquireLinkMs: 100 });
    try {
      await c.waitBound(30_000);
      await assert.rejects(
        c.submit(sm('447400400006', 1)),
        (err) => isBootlineError(err, 'SMPP_TIMEOUT') && err.retry === 'retry',
      );
      const recycled = new Promise<void>((r) => c.once('unbound', () => r()));
      await recycled; // enquire_link went unanswered: the bind was torn down and re-made
      smsc.setFaults({ receiptDelayMs: 5 });
      const { messageId } = await c.submit(sm('447400400006', 2));
      assert.ok(smsc.received.some((r) => r.messageId === messageId));
      assert.ok(smsc.counts.unanswered >= 1);
    } finally {
      await c.close();
    }
  }));

test('one wedged session of two: its unanswered submits move to the healthy bind at the timeout, each accepted once', () =>
  fresh({ respondDelayMs: 5 }, async () => {
    const T = 1_000;
    const c = client({ binds: 2, responseTimeoutMs: T, enquireLinkMs: 30_000 });
    const unanswered: number[] = [];
    const onUnanswered = (u: { at: Date }) => unanswered.push(u.at.getTime());
    smsc.on('unanswered', onUnanswered);
    try {
      await waitFor('2 binds', () => c.status().bound === 2);
      await Promise.all(Array.from({ length: 4 }, (_, i) => c.submit(sm('447400400010', i))));
      const [wedged] = [...new Set(smsc.received.map((r) => r.session))].sort((a, b) => a - b);
      smsc.setFaults({ ...smsc.faults, hang: wedged! });
      const sent = Date.now();
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => c.submit(sm('447400400011', 10 + i))));
      const took = Date.now() - sent;
      assert.ok(unanswered.length >= 1, 'some went into the wedged session');
      assert.ok(Math.max(...unanswered) - sent < T, 'none after its first timeout');
      const accepted = smsc.received.filter((r) => r.destinationAddr === '447400400011');
      assert.equal(accepted.length, 8, 'each accepted once');
      assert.deepEqual(new Set(accepted.map((r) => r.messageId)), new Set(ids.map((r) => r.messageId)));
      assert.ok(accepted.every((r) => r.session !== wedged));
      assert.ok(took < 1.5 * T, `all accepted ${took} ms after sending (the healthy bind took them at the timeout)`);
      await waitFor('the wedged session replaced', () => c.status().bound === 2 && smsc.sessions >= 2, 3 * T);
    } finally {
      smsc.off('unanswered', onUnanswered);
      await c.close();
    }
  }));
