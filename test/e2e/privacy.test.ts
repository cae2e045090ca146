import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyMac } from '../../src/codec/index.js';
import { DEFAULT_SECURITY } from '../../src/config/security.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { purgeBootstraps } from '../../src/platform/redis/retention.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import { httpSubscriberLookup } from '../../src/subscriber/lookup.js';
import { SubscriberStandIn } from '../../src/dev/subscriber-lookup.js';
import { parseWspPush, splitUdh } from '../helpers/push-bytes.js';
import { startTestRedis } from '../helpers/redis.js';
import { carries, readAof } from '../helpers/secret-forms.js';
import { TEST_KEY, TEST_TOKEN, waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { DM_SECRET, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// A full call with every logger at trace level, a USERNETWPIN push keyed from the IMSI, and
// then a search of every log line, every Redis value and every write in Redis's append-only
// file (what stays on disk after keys expire) for what must never be there, in every form a
// prompt can carry it (secret-forms.ts).
const lines: string[] = [];
const sink = {
  write: (s: string) => {
    lines.push(s);
  },
};
const LOOKUP_SECRET = 'test-subscriber-lookup-secret';
const IMSI = '234150999888777';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;
let subscribers: SubscriberStandIn;

before(async () => {
  redis = await startTestRedis({ durable: true });
  subscribers = new SubscriberStandIn({ secret: LOOKUP_SECRET, strict: true });
  await subscribers.listen(0);
  subscribers.imsis.set('+447400123456', IMSI);
  // Both processes read one environment in production: the intake records the SEC method the worker uses.
  web = webStack(redis.url, {
    prefix: '{t-priv}',
    logger: createLogger({ level: 'trace', name: 'web' }, sink),
    env: {
      PUSH_SECURITY: 'USERNETWPIN',
      SUBSCRIBER_LOOKUP_URL: subscribers.url,
      SUBSCRIBER_LOOKUP_SECRET: LOOKUP_SECRET,
    },
  });
  worker = await workerStack(redis.url, {
    prefix: '{t-priv}',
    logger: createLogger({ level: 'trace', name: 'worker' }, sink),
    config: { security: { ...DEFAULT_SECURITY, pushSecurity: 'USERNETWPIN' } },
    subscribers: httpSubscriberLookup({ url: subscribers.url, secret: LOOKUP_SECRET }),
  });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await subscribers.close();
  await redis.stop();
});

/** Every key in Redis with its value as text (strings, hashes, lists, sets, sorted sets, streams). */
async function everyRedisValue(): Promise<Array<{ key: string; text: string }>> {
  const r = createRedis(redis.url, 'fast');
  try {
    const out: Array<{ key: string; text: string }> = [];
    for (const k of await r.keys('*')) {
      const type = await r.type(k);
      let text = '';
      if (type === 'string') text = (await r.get(k)) ?? '';
      else if (type === 'hash') text = JSON.stringify(await r.hgetall(k));
      else if (type === 'list') text = JSON.stringify(await r.lrange(k, 0, -1));
      else if (type === 'set') text = JSON.stringify(await r.smembers(k));
      else if (type === 'zset') text = JSON.stringify(await r.zrange(k, '0', '-1'));
      else if (type === 'stream') text = JSON.stringify(await r.xrange(k, '-', '+'));
      out.push({ key: k, text });
    }
    return out;
  } finally {
    r.disconnect();
  }
}

/**
 * Where the full number is kept on purpose (docs/guides/security.md, "Retention"): the call's state, the
 * bootstrap record and the status API's index by number. Nowhere else, in no form.
 */
const NUMBER_KEPT = [/^bl:call:\{CA[0-9a-f]{32}\}$/, /^bl:bs:\{[^}]+\}$/, /^bl:msisdn:\{\+\d+\}$/];
const keepsNumber = (key: string) => NUMBER_KEPT.some((re) => re.test(key));

test('the secret finder sees every form a prompt gives a PIN or a number, and nothing in random data', () => {
  for (const form of [
    '418273',
    '4 1 8 2 7 3',
    '4 1 8, 2 7 3',
    '418 273',
    '41 82 73',
    '418, 273',
    'PIN is <say-as interpret-as="digits">418</say-as><break strength="medium"/><say-as interpret-as="digits">273</say-as>.',
  ])
    assert.ok(carries(form, '418273'), form);
  for (const form of [
    'You entered 07400 123456',
    'You entered 0 7 4 0 0, 1 2 3 4 5 6.',
    '074 001 234 56',
    '07 40 01 23 45 6',
    '<say-as interpret-as="digits">07400</say-as><break strength="medium"/><say-as interpret-as="digits">123456</say-as>',
  ])
    assert.ok(carries(form, '07400123456'), form);
  for (const form of ['+447400123456', '+44 7400 123456', '+4 4 7 4 0 0, 1 2 3 4 5 6'])
    assert.ok(carries(form, '447400123456'), form);
  for (const noise of ['"at":1733418273000', 'msg 6f418273', 'AbC418273dE', 'x_418273', '418 2730', '1418 273'])
    assert.ok(!carries(noise, '418273'), noise);
});

test('a full call at trace level: no number, PIN, code, IMSI, token or secret in any log line; USERNETWPIN verifies', async () => {
  const sim = web.sim({ from: '+447400999111', inbox: devSmscInbox(worker.smsc) });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400123456');
  await sim.press('1');
  const code = await sim.waitForCode({ to: '+447400123456' });
  const t = await sim.press(code);
  assert.match(t.says.join(' '), /PIN/);
  const pin = /^Your PIN is (\d \d \d, \d \d \d)\./.exec(t.says[0] ?? '')![1]!.replace(/[ ,]/g, '');
  const id = `bs-${sim.callSid}`;
  await waitFor('delivered', async () => (await web.store.get(id))?.status === 'delivered', 30_000);
  assert.equal(subscribers.requests, 1, 'the IMSI was looked up once, for the push');

  // The push is USERNETWPIN (SEC=2) and its MAC verifies with IMSI + the spoken PIN.
  const segs = worker.smsc.received
    .filter((r) => r.destinationAddr === '447400123456' && r.text === undefined)
    .map((s) => splitUdh(s.shortMessage));
  const push = parseWspPush(Buffer.concat(segs.sort((a, b) => a.concat!.seq - b.concat!.seq).map((p) => p.payload)));
  assert.equal(push.sec, 2);
  assert.ok(verifyMac(push.body, push.mac!, { method: 'USERNETWPIN', imsi: IMSI, pin }));
  assert.ok(
    !verifyMac(push.body, push.mac!, { method: 'USERNETWPIN', imsi: '234150999888778', pin }),
    'another IMSI does not verify',
  );

  const dmSecrets = [...worker.dm.registrations.values()].flatMap((r) => r.appAuth.map((a) => a.AAUTHSECRET));
  const forbidden: Record<string, string> = {
    'full number (E.164)': '+447400123456',
    'full number (SMPP)': '447400123456',
    'full number (national)': '07400123456',
    'caller ID': '447400999111',
    PIN: pin,
    code,
    IMSI,
    'auth token': TEST_TOKEN,
    'data key': TEST_KEY.toString('hex'),
    'DM secret': DM_SECRET,
    'lookup secret': LOOKUP_SECRET,
    ...Object.fromEntries(dmSecrets.map((s, i) => [`DM credential ${i}`, s])),
  };
  assert.ok(
    lines.some((l) => l.includes('"svc":"web"')) && lines.some((l) => l.includes('"svc":"worker"')),
    `both processes logged (${lines.length} lines)`,
  );
  for (const line of lines) {
    for (const [what, value] of Object.entries(forbidden))
      assert.ok(!line.includes(value), `${what} in a log line: ${line.slice(0, 300)}`);
  }
  // The rest of the call: the caller hears the PIN again, finishes, hangs up (status callback).
  const end = sim.turn?.gather ? await sim.press('2') : sim.turn!;
  assert.ok(end.hungUp, 'the call ended');
  assert.equal(await sim.hangup(), 204);

  const secrets: Record<string, string> = {
    PIN: pin,
    code,
    IMSI,
    'caller ID': '447400999111',
  };
  const numbers: Record<string, string> = { 'number (national)': '07400123456', 'number (E.164)': '447400123456' };
  const found: string[] = [];
  const search = (where: string, key: string, text: string) => {
    for (const [what, v] of Object.entries(secrets)) if (carries(text, v)) found.push(`${what} in ${where} ${key}`);
    if (!keepsNumber(key))
      for (const [what, v] of Object.entries(numbers)) if (carries(text, v)) found.push(`${what} in ${where} ${key}`);
    if (text.includes(DM_SECRET)) found.push(`DM secret in ${where} ${key}`);
  };
  const stored = await everyRedisValue();
  assert.ok(stored.length > 10, `the dump holds the call's records (${stored.length} keys)`);
  for (const { key, text } of stored) search('Redis', key, `${key}\n${text}`);
  // Redis writes each command to the AOF (appendfsync everysec: written at once, fsynced each second).
  const aof = readAof(redis.dir);
  assert.ok(aof.length > 50, `the AOF holds the call's writes (${aof.length} commands)`);
  for (const { args } of aof) {
    const [, key = ''] = args;
    for (const arg of args.slice(1)) if (!keepsNumber(arg)) search('the AOF', key, arg);
  }
  assert.deepEqual(found, [], 'no secret and no number outside its record, in any form, in Redis or on disk');
});

test('purge removes statuses and credentials older than the retention, and nothing newer', async () => {
  const r = createRedis(redis.url, 'fast');
  try {
    const ids = (await r.keys('bl:bs:{*}')).map((k) => k.slice('bl:bs:{'.length, -1));
    assert.ok(ids.length >= 1);
    assert.deepEqual(
      await purgeBootstraps(r, { days: 1 }),
      { scanned: ids.length, purged: 0 },
      "today's bootstraps are kept",
    );
    const later = new Date(Date.now() + 2 * 86_400_000);
    assert.deepEqual(await purgeBootstraps(r, { days: 1, now: later, dryRun: true }), {
      scanned: ids.length,
      purged: ids.length,
    });
    assert.equal((await r.keys('bl:bs:*')).length > 0, true, 'a dry run deletes nothing');
    await purgeBootstraps(r, { days: 1, now: later });
    assert.deepEqual(await r.keys('bl:bs:*'), [], 'records, PINs, credentials, segments, receipts and timelines gone');
    assert.deepEqual(await r.keys('bl:dmclient:*'), [], 'the DM client-name index gone');
    assert.deepEqual(await r.keys('bl:smsc:*'), [], 'SMSC message-id pointers gone');
    assert.equal(await r.zcard('bl:msisdn:{+447400123456}'), 0, 'number index entry gone');
  } finally {
    r.disconnect();
  }
});
