import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedis, type RedisClient } from '../../src/platform/redis/client.js';
import { defineScript, holdWrites, runScript, runScriptNow, sendNow } from '../../src/platform/redis/scripts.js';
import { startTestRedis } from '../helpers/redis.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let client: RedisClient;
before(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'patient', { enableAutoPipelining: true });
  await client.ping();
});
after(async () => {
  client.disconnect();
  await redis.stop();
});

// A worker's first run of a script often lands in the same tick as other commands (another
// job's reads, a receipt): the script must join the auto-pipeline they already opened.
test('a script used for the first time joins an auto-pipeline that was already waiting', async () => {
  const echo = defineScript({ name: 'test-first-use-echo', keys: 1, lua: 'return ARGV[1]' });
  const results = await Promise.all([
    client.set('{t}:a', '1'),
    runScript(client, echo, ['{t}:b'], ['first']),
    runScript(client, echo, ['{t}:b'], ['second']),
    client.get('{t}:a'),
  ]);
  assert.deepEqual(results, ['OK', 'first', 'second', '1']);
});

const ECHO = defineScript({
  name: 'test-first-run-echo',
  keys: 1,
  lua: "redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]",
});

test('a script defined before the client, first run beside other commands of the same tick, and every later run', async () => {
  const [set, first] = await Promise.all([client.set('{t}:a', '1'), runScript(client, ECHO, ['{t}:k'], ['one'])]);
  assert.deepEqual([set, first], ['OK', 'one']);
  const again = await Promise.all([
    client.get('{t}:a'),
    runScript(client, ECHO, ['{t}:k'], ['two']),
    client.get('{t}:k'),
  ]);
  assert.deepEqual(again, ['1', 'two', 'two']);
});

// runScriptNow is how a push run records the segments the SMSC accepted: it must not wait for an
// auto-pipeline in flight, and must survive a Redis that forgot its scripts (a restart: NOSCRIPT).
test('runScriptNow answers beside a waiting auto-pipeline, and again after the server forgot its scripts', async () => {
  const now = defineScript({
    name: 'test-now-echo',
    keys: 1,
    lua: "redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]",
  });
  const [a, b] = await Promise.all([client.get('{t}:a'), runScriptNow(client, now, ['{t}:n'], ['one'])]);
  assert.deepEqual([a, b], ['1', 'one']);
  assert.equal(await runScriptNow(client, now, ['{t}:n'], ['two']), 'two');
  await client.script('FLUSH');
  assert.equal(await runScriptNow(client, now, ['{t}:n'], ['three']), 'three');
  assert.equal(await client.get('{t}:n'), 'three');
});

// A webhook's commit: its commands are held to the end of the tick and leave in one write.
test('commands held to the end of the tick all answer, in order, beside the auto-pipeline', async () => {
  holdWrites(client);
  const [x, y, z, w] = await Promise.all([
    sendNow(client, 'set', ['{t}:h', 'one', 'EX', 60]),
    client.get('{t}:a'),
    sendNow(client, 'set', ['{t}:h', 'two', 'XX']),
    sendNow(client, 'get', ['{t}:h']),
  ]);
  assert.deepEqual([x, y, z, w], ['OK', '1', 'OK', 'two']);
});
