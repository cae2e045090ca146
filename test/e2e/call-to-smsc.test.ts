import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { startTestRedis } from '../helpers/redis.js';
import { parseWspPush, splitUdh } from '../helpers/push-bytes.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-e2e}' });
  worker = await workerStack(redis.url, { prefix: '{t-e2e}' });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

test('a signed call ends with a USERPIN-signed WAP Push at the SMSC whose MAC verifies with the spoken PIN', async () => {
  const sim = web.sim({ from: '+447400999888', inbox: devSmscInbox(worker.smsc) });
  await sim.dial();
  await sim.press('1'); // English
  await sim.press('07400123456');
  await sim.press('1'); // the number is right: a code SMS goes to it
  const t = await sim.press(await sim.waitForCode({ to: '+447400123456' }));
  const m = /^Your PIN is (\d \d \d, \d \d \d)\./.exec(t.says[0] ?? '');
  assert.ok(m, `PIN spoken: ${t.says[0]}`);
  const pin = m[1]!.replace(/[ ,]/g, '');

  const id = `bs-${sim.callSid}`;
  const rec = await waitFor('bootstrap submitted', async () => {
    const r = await web.store.get(id);
    return r?.status === 'submitted' || r?.status === 'delivered' ? r : null;
  });
  // The code SMS went to the same number first; the push is every binary submit_sm after it.
  const segments = worker.smsc.received.filter((r) => r.destinationAddr === '447400123456' && r.text === undefined);
  assert.equal(segments.length, rec.segments);
  assert.ok(segments.length >= 2, 'a full CP document with two APPAUTHs needs concatenation');

  const parts = segments.map((s) => {
    assert.equal(s.esmClass, 0x40, 'UDHI set');
    assert.equal(s.dataCoding, 0x04, '8-bit data');
    assert.equal(s.registeredDelivery, 1);
    assert.ok(s.shortMessage.length <= 140, 'fits one SMS TP-UD');
    const u = splitUdh(s.shortMessage);
    assert.equal(u.dstPort, 2948, 'WAP Push connectionless port');
    assert.equal(u.srcPort, 9200);
    assert.ok(u.concat);
    assert.equal(u.concat.total, segments.length);
    return u;
  });
  assert.equal(new Set(parts.map((p) => p.concat!.ref)).size, 1, 'one reference for all parts');
  const pdu = Buffer.concat(parts.sort((a, b) => a.concat!.seq - b.concat!.seq).map((p) => p.payload));

  const push = parseWspPush(pdu);
  assert.equal(push.pduType, 0x06, 'WSP Push');
  assert.equal(push.contentType, 0x36, 'application/vnd.wap.connectivity-wbxml');
  assert.deepEqual([...push.headers.subarray(0, 5)], [0x1f, 0x2d, 0xb6, 0x91, 0x81], 'general form, SEC=USERPIN');
  assert.equal(push.sec, 1);
  const expected = createHmac('sha1', Buffer.from(pin, 'ascii')).update(push.body).digest('hex').toUpperCase();
  assert.equal(push.mac, expected, 'MAC = HMAC-SHA1(PIN, WBXML body), uppercase hex');
  assert.deepEqual([...push.body.subarray(0, 3)], [0x03, 0x0b, 0x6a], 'WBXML 1.3, PROV 1.0, UTF-8');

  // An independent WBXML decoder (libwbxml) reads the document we signed.
  const xml = spawnSync('wbxml2xml', ['-m', '0', '-o', '-', '-'], { input: push.body, encoding: 'utf8' });
  assert.equal(xml.status, 0, `wbxml2xml (apt-get install libwbxml2-utils): ${xml.stderr}`);
  for (const needle of [
    'name="APPID" value="w7"',
    'name="PROVIDER-ID" value="com.example.dm"',
    'name="ADDR" value="https://dm.example.com/dm"',
  ]) {
    assert.ok(xml.stdout.includes(needle), `${needle} in ${xml.stdout}`);
  }

  await waitFor('delivered via receipts', async () => (await web.store.get(id))?.status === 'delivered');
});
