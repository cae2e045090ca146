import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedis, type RedisClient } from '../../src/platform/redis/client.js';
import { defineScript, runScript } from '../../src/platform/redis/scripts.js';
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
