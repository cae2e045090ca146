import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app/http.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis, redisReachable } from '../../src/platform/redis/client.js';
import { readSmscHealth } from '../../src/smpp/heartbeat.js';
import { COMMAND_STATUS } from '../../src/smpp/status.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { startTestRedis } from '../helpers/redis.js';
import { testConfig, waitFor } from '../helpers/stack.js';
import {
  acceptedSegments,
  completeNumbers,
  enqueuePushes,
  workerStack,
  type WorkerStack,
} from '../helpers/worker-stack.js';

// Each fault the push pipeline must survive (SMSC down, dropping, refusing or throttling; receipts
// withheld or failed; DM server refusing or away) against real parts: a private Redis, BullMQ, the
// dev SMSC over loopback SMPP and the DM stand-in over loopback HTTP.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let n = 0;
let batch = 0;

before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis.stop();
});

/** A worker stack and a producer queue on a fresh prefix. */
async function setup(
  opts: Parameters<typeof workerStack>[1] extends infer O ? Omit<O & object, 'prefix'> : never = {},
) {
  const prefix = `{t-f${++n}}`;
  const stack = await workerStack(redis.url, { prefix, ...opts });
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  const close = async () => {
    await queue.close();
    conn.disconnect();
    await stack.close();
  };
  return {
    stack,
    queue,
    close,
    push: (nums: string[]) => enqueuePushes(queue, stack.store, nums, `f${n}x${++batch}x`),
  };
}

const statusOf = (s: WorkerStack, id: string) => s.store.get(id).then((r) => r?.status);
const noDuplicates = (s: WorkerStack) =>
  assert.deepEqual(
    [...acceptedSegments(s.smsc).values()].filter((c) => c > 1),
    [],
    'no segment accepted twice',
  );

test('happy path: registered, submitted, every segment receipted → delivered; PIN gone', async () => {
  const { stack, close, push } = await setup();
  try {
    const [id] = await push(['+447400100001']);
    await waitFor('delivered', async () => (await statusOf(stack, id!)) === 'delivered');
    const rec = (await stack.store.get(id!))!;
    assert.ok(rec.registeredAt && rec.submittedAt && rec.deliveredAt && rec.queuedAt);
    assert.ok(rec.registeredAt <= rec.submittedAt!, 'registration before the push');
    assert.equal(rec.segmentStates.length, rec.segments);
    assert.ok(rec.segmentStates.every((s) => s.receipt?.state === 'DELIVRD'));
    assert.equal(stack.dm.registrations.get(id!)?.msisdn, '+447400100001');
    await assert.rejects(stack.store.pin(id!), /expired|gone/, 'the PIN is deleted once delivered');
  } finally {
    await close();
  }
});

test('SMSC down at start: jobs wait and retry, /readyz says so, nothing is lost once it is up', async () => {
  const { stack, close, push } = await setup({ transport: { reconnectMaxMs: 300 } });
  try {
    await stack.client.waitBound(5_000);
    const port = stack.smsc.port;
    // /readyz of the web process reads the workers' heartbeats (the web never talks SMPP).
    const app = createApp({
      config: testConfig(redis.url),
      logger: createLogger({ level: 'silent', name: 't' }),
      readiness: async () => ({ redis: await redisReachable(stack.redis) }),
      pipelineHealth: () => readSmscHealth(stack.redis),
    });
    await stack.smsc.close();
    await waitFor('unbound', () => !stack.client.isBound);
    await waitFor('readyz says the SMSC is unbound', async () => {
      const r = await request(app).get('/readyz');
      return (
        r.status === 200 && r.body.status === 'degraded' && r.body.pipeline.bound === 0 && r.body.pipeline.workers === 1
      );
    });
    const ids = await push(['+447400100011', '+447400100012', '+447400100013']);
    await waitFor('a failed attempt', async () => (await pushJob(stack, ids[0]!)) > 0, 8_000);
    assert.equal(stack.client.status().bound, 0);
    assert.equal(stack.smsc.received.length, 0);
    await stack.smsc.listen(port);
    for (const id of ids)
      await waitFor(`${id} delivered`, async () => (await statusOf(stack, id)) === 'delivered', 30_000);
    noDuplicates(stack);
    await waitFor('readyz ready again', async () => (await request(app).get('/readyz')).body.status === 'ready');
  } finally {
    await close();
  }
});

async function pushJob(stack: WorkerStack, id: string): Promise<number> {
  const q = new Queue(QUEUES.bootstrap.name, { prefix: stack.worker.opts.prefix!, connection: stack.redis });
  const job = await q.getJob(id);
  return job?.attemptsMade ?? 0;
}

test('SMSC drops mid-window: unacknowledged segments are re-sent, acknowledged ones are not', async () => {
  const { stack, close, push } = await setup({
    smsc: { faults: { respondDelayMs: 40, dropAfter: 4, receiptDelayMs: 5 } },
  });
  try {
    const nums = Array.from({ length: 5 }, (_, i) => `+4474001002${i}0`);
    const ids = await push(nums);
    for (const id of ids)
      await waitFor(`${id} delivered`, async () => (await statusOf(stack, id)) === 'delivered', 45_000);
    assert.equal(stack.smsc.counts.drops, 1);
    assert.ok(stack.smsc.counts.unanswered >= 1, 'some submits were in flight, unacknowledged, when the link dropped');
    noDuplicates(stack);
    assert.deepEqual([...completeNumbers(stack.smsc)].sort(), nums.map((x) => x.slice(1)).sort());
  } finally {
    await close();
  }
});

test('a destination the SMSC refuses permanently fails once, with the SMSC status', async () => {
  const { stack, close, push } = await setup({
    smsc: { faults: { reject: { '447400100031': COMMAND_STATUS.ESME_RINVDSTADR } } },
  });
  try {
    const [bad, good] = await push(['+447400100031', '+447400100032']);
    await waitFor('failed', async () => (await statusOf(stack, bad!)) === 'failed');
    await waitFor('good delivered', async () => (await statusOf(stack, good!)) === 'delivered');
    const rec = (await stack.store.get(bad!))!;
    assert.equal(rec.errorCode, 'SMPP_REJECTED');
    assert.match(rec.error!, /ESME_RINVDSTADR/);
    assert.equal(await pushJob(stack, bad!), 1, 'UnrecoverableError: no further attempts');
  } finally {
    await close();
  }
});

test('SMSC throttling slows the transport down; the push still goes out once, no attempt is spent', async () => {
  const { stack, close, push } = await setup({
    smsc: { faults: { throttleTps: 20, throttleBurst: 2 } },
    transport: { throttlePauseMs: 50, throttleRetries: 50 },
  });
  try {
    const ids = await push(['+447400100041', '+447400100042', '+447400100043', '+447400100044']);
    for (const id of ids)
      await waitFor(`${id} delivered`, async () => (await statusOf(stack, id)) === 'delivered', 45_000);
    assert.ok(stack.smsc.counts.throttled > 0, 'the SMSC did throttle');
    for (const id of ids)
      assert.equal(await pushJob(stack, id), 1, 'throttling is not a failed attempt: done in the first');
    noDuplicates(stack);
  } finally {
    await close();
  }
});

test('receipts: withheld → stays submitted until released; UNDELIV → failed; EXPIRED → expired; unknown id ignored', async () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info', name: 't' },
    new Writable({
      write(c, _e, cb) {
        lines.push(String(c));
        cb();
      },
    }),
  );
  const { stack, close, push } = await setup({
    logger,
    smsc: { logger: createLogger({ level: 'silent', name: 's' }), faults: { receipts: 'withhold', receiptDelayMs: 1 } },
  });
  try {
    const [held] = await push(['+447400100051']);
    await waitFor('submitted', async () => (await statusOf(stack, held!)) === 'submitted');
    stack.smsc.injectReceipt('deadbeef', '447400100051');
    await waitFor('unknown id logged', () =>
      lines.some((l) => l.includes('receipt for an unknown message id ignored') && l.includes('deadbeef')),
    );
    assert.equal(await statusOf(stack, held!), 'submitted', 'still waiting for its own receipts');
    stack.smsc.setFaults({ receiptDelayMs: 1 });
    await waitFor('delivered after release', async () => (await statusOf(stack, held!)) === 'delivered');
    stack.smsc.setFaults({ receiptDelayMs: 1, receiptState: 'UNDELIV' });
    const [undeliv] = await push(['+447400100052']);
    await waitFor('failed', async () => (await statusOf(stack, undeliv!)) === 'failed');
    const rec = (await stack.store.get(undeliv!))!;
    assert.equal(rec.smscError, '001');
    assert.match(rec.error!, /UNDELIV/);
    stack.smsc.setFaults({ receiptDelayMs: 1, receiptState: 'EXPIRED' });
    const [exp] = await push(['+447400100053']);
    await waitFor('expired', async () => (await statusOf(stack, exp!)) === 'expired');
  } finally {
    await close();
  }
});

test('DM server refuses the registration: bootstrap failed with its reason, nothing pushed', async () => {
  const { stack, close, push } = await setup();
  try {
    stack.dm.faults = { reject: { status: 422, reason: 'unknown device model' } };
    const [id] = await push(['+447400100061']);
    await waitFor('failed', async () => (await statusOf(stack, id!)) === 'failed');
    const rec = (await stack.store.get(id!))!;
    assert.equal(rec.errorCode, 'DM_REGISTRATION_REJECTED');
    assert.match(rec.error!, /422: unknown device model/);
    assert.equal(stack.smsc.received.filter((r) => r.destinationAddr === '447400100061').length, 0);
  } finally {
    await close();
  }
});

test('DM server unavailable: registration retried through its own queue; the push waits for it', async () => {
  const { stack, close, push } = await setup();
  try {
    stack.dm.faults = { unavailable: 2 };
    const [id] = await push(['+447400100071']);
    await waitFor('delivered', async () => (await statusOf(stack, id!)) === 'delivered', 15_000);
    assert.equal(stack.dm.requests, 3, 'inline try, one failed child attempt, one that worked');
    const child = await new Queue('dm-register', { prefix: stack.worker.opts.prefix!, connection: stack.redis }).getJob(
      `dmreg-${id}-r1`,
    );
    assert.ok(child && (await child.isCompleted()), 'the dm-register child job did the registration');
    const rec = (await stack.store.get(id!))!;
    assert.ok(rec.registeredAt! <= rec.submittedAt!);
  } finally {
    await close();
  }
});
