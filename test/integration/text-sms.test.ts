import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/platform/redis/client.js';
import { decodeText, encodeText } from '../../src/codec/sms/text.js';
import { enqueueTextSms } from '../../src/deliveries/text-sms.js';
import { QUEUES, type TextSmsJobData } from '../../src/queues/catalogue.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let queue: Queue<TextSmsJobData>;
let conn: ReturnType<typeof createRedis>;

before(async () => {
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-sms}' });
  conn = createRedis(redis.url, 'fast');
  queue = new Queue<TextSmsJobData>(QUEUES.textSms.name, { prefix: '{t-sms}', connection: conn });
});
after(async () => {
  await queue.close();
  conn.disconnect();
  await worker.close();
  await redis.stop();
});

test('GSM 7-bit when possible, UCS-2 otherwise; over-long texts are refused', () => {
  assert.deepEqual(encodeText('Code 123456'), { dataCoding: 0x00, octets: Buffer.from('Code 123456', 'ascii') });
  const de = encodeText('Bestätigungscode 123456'); // ä is in the GSM default alphabet
  assert.equal(de.dataCoding, 0x00);
  assert.equal(decodeText(de.dataCoding, de.octets), 'Bestätigungscode 123456');
  assert.equal(encodeText('Código 123456').dataCoding, 0x08, 'ó is not (only ò is)');
  const u = encodeText('Код 123456');
  assert.equal(u.dataCoding, 0x08);
  assert.equal(decodeText(0x08, u.octets), 'Код 123456');
  assert.throws(() => encodeText('x'.repeat(161)), /160/);
});

test('a queued text SMS reaches the SMSC once, sealed in Redis on the way', async () => {
  await enqueueTextSms(
    { queue },
    { id: 'otp-t1', to: '+447400123456', text: 'Your bootline code is 918273', sealKey: TEST_KEY },
  );
  await enqueueTextSms(
    { queue },
    { id: 'otp-t1', to: '+447400123456', text: 'Your bootline code is 918273', sealKey: TEST_KEY },
  );
  const job = await queue.getJob('otp-t1');
  assert.ok(job && !JSON.stringify(job.data).includes('918273'), 'the code is not in clear in the job');
  const got = await waitFor('sms at smsc', () =>
    worker.smsc.received.find((r) => r.destinationAddr === '447400123456' && r.text),
  );
  assert.equal(got.text, 'Your bootline code is 918273');
  assert.equal(got.dataCoding, 0x00);
  assert.equal(got.esmClass, 0x00);
  // Once the one job is done and nothing else is queued, no second copy can come.
  await waitFor('the job done', async () => (await queue.getJob('otp-t1'))?.finishedOn);
  const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'delayed', 'prioritized');
  assert.deepEqual(counts, { completed: 1, waiting: 0, active: 0, delayed: 0, prioritized: 0 });
  assert.equal(
    worker.smsc.received.filter((r) => r.text === 'Your bootline code is 918273').length,
    1,
    'same id → sent once',
  );
});

test('a long text is concatenated (153 septets / 67 UCS-2 characters a part), each part sent once; the number is sealed too', async () => {
  const gsm = 'Your bootline settings: ' + 'abc€def '.repeat(30); // € takes two septets (ESC e)
  const ucs = 'Настройки bootline: ' + 'код '.repeat(30);
  await enqueueTextSms({ queue }, { id: 'long-t1', to: '+447400123457', text: gsm, sealKey: TEST_KEY });
  await enqueueTextSms({ queue }, { id: 'long-t2', to: '+447400123458', text: ucs, sealKey: TEST_KEY });
  const job = await queue.getJob('long-t1');
  assert.ok(job && !JSON.stringify(job.data).includes('447400123457'), 'no full number in job data');
  assert.equal(job.data.to, '+44*******457');
  for (const [to, text, dc, per] of [
    ['447400123457', gsm, 0x00, 153],
    ['447400123458', ucs, 0x08, 134],
  ] as const) {
    const parts = await waitFor(`${to} parts`, () => {
      const got = worker.smsc.received.filter((r) => r.destinationAddr === to);
      const total = got[0]?.shortMessage[4];
      return total && got.length === total ? got : null;
    });
    const sorted = parts.sort((a, b) => a.shortMessage[5]! - b.shortMessage[5]!);
    for (const p of sorted) {
      assert.equal(p.esmClass, 0x40);
      assert.equal(p.dataCoding, dc);
      assert.deepEqual(
        [...p.shortMessage.subarray(0, 3)],
        [0x05, 0x00, 0x03],
        'UDH: concatenation IE, 8-bit reference',
      );
      assert.ok(p.shortMessage.length - 6 <= per);
    }
    assert.equal(sorted.map((p) => p.text).join(''), text);
    assert.equal(new Set(sorted.map((p) => p.shortMessage[3])).size, 1, 'one reference');
  }
});
