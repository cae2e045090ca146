import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { DEFAULT_SECURITY } from '../../src/config/security.js';
import { isBootlineError } from '../../src/errors.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { httpSubscriberLookup } from '../../src/subscriber/lookup.js';
import { SubscriberStandIn } from '../../src/dev/subscriber-lookup.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { enqueuePushes, workerStack } from '../helpers/worker-stack.js';

// The worker's own defences: the destination policy at the last hop, and the IMSI lookup.
const SECRET = 'test-subscriber-lookup-secret';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let lookup: SubscriberStandIn;
before(async () => {
  redis = await startTestRedis();
  lookup = new SubscriberStandIn({ secret: SECRET, strict: true });
  await lookup.listen(0);
  lookup.imsis.set('+447400300001', '234150000000001');
});
after(async () => {
  await lookup.close();
  await redis.stop();
});

async function stack(
  prefix: string,
  opts: Parameters<typeof workerStack>[1] extends infer O ? Omit<O & object, 'prefix'> : never = {},
) {
  const s = await workerStack(redis.url, { prefix, ...opts });
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  return {
    s,
    push: (nums: string[], tag: string) => enqueuePushes(queue, s.store, nums, tag),
    close: async () => {
      await queue.close();
      conn.disconnect();
      await s.close();
    },
  };
}

test('the worker refuses destinations outside the policy, whatever queued them: failed, nothing at the SMSC', async () => {
  const { s, push, close } = await stack('{t-dest}');
  try {
    // A French mobile (country not served) and a UK premium-rate number (not a mobile), queued directly.
    const [fr, premium, ok] = await push(['+33612345678', '+449098790000', '+447400300002'], 'd');
    for (const id of [fr!, premium!]) {
      const rec = await waitFor(
        `${id} failed`,
        async () => {
          const r = await s.store.get(id);
          return r?.status === 'failed' ? r : null;
        },
        30_000,
      );
      assert.equal(rec.errorCode, 'DESTINATION_REFUSED');
    }
    assert.match((await s.store.get(fr!))!.error!, /\(country\)/);
    assert.match((await s.store.get(premium!))!.error!, /\(type\)/);
    await waitFor('allowed one delivered', async () => (await s.store.get(ok!))?.status === 'delivered', 30_000);
    assert.deepEqual(
      [...new Set(s.smsc.received.map((r) => r.destinationAddr))],
      ['447400300002'],
      'only the allowed number reached the SMSC',
    );
  } finally {
    await close();
  }
});

test('NETWPIN: the IMSI comes from the signed lookup; an unknown subscriber fails the push permanently', async () => {
  const { s, push, close } = await stack('{t-netw}', {
    config: { security: { ...DEFAULT_SECURITY, pushSecurity: 'NETWPIN' } },
    subscribers: httpSubscriberLookup({ url: lookup.url, secret: SECRET }),
  });
  try {
    const [known, unknown] = await push(['+447400300001', '+447400300003'], 'n');
    await waitFor('known delivered', async () => (await s.store.get(known!))?.status === 'delivered', 30_000);
    const rec = await waitFor(
      'unknown failed',
      async () => {
        const r = await s.store.get(unknown!);
        return r?.status === 'failed' ? r : null;
      },
      30_000,
    );
    assert.equal(rec.errorCode, 'SUBSCRIBER_UNKNOWN');
    assert.ok(!s.smsc.received.some((r) => r.destinationAddr === '447400300003'), 'nothing sent without a key');
  } finally {
    await close();
  }
});

test('lookup client: wrong secret is retryable with a hint, unknown is permanent, a dead endpoint is retryable', async () => {
  await assert.rejects(
    httpSubscriberLookup({ url: lookup.url, secret: 'not-the-secret-xxxxxx' }).imsiOf('+447400300001'),
    (e) =>
      isBootlineError(e, 'SUBSCRIBER_LOOKUP_UNAVAILABLE') && /401 \(check SUBSCRIBER_LOOKUP_SECRET\)/.test(e.message),
  );
  await assert.rejects(
    httpSubscriberLookup({ url: lookup.url, secret: SECRET }).imsiOf('+447400399999'),
    (e) => isBootlineError(e, 'SUBSCRIBER_UNKNOWN') && e.retry === 'permanent',
  );
  await assert.rejects(
    httpSubscriberLookup({ url: 'http://127.0.0.1:1/x', secret: SECRET, timeoutMs: 500 }).imsiOf('+447400300001'),
    (e) => isBootlineError(e, 'SUBSCRIBER_LOOKUP_UNAVAILABLE') && e.retry === 'retry',
  );
  assert.equal(
    await httpSubscriberLookup({ url: lookup.url, secret: SECRET }).imsiOf('+447400300001'),
    '234150000000001',
  );
});
