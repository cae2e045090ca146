import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedis, type RedisClient } from '../../src/platform/redis/client.js';
import { defineScript, runScript } from '../../src/platform/redis/scripts.js';
import { startTestRedis } from '../helpers/redis.js';

// A script first used while an auto-pipeline is already open in the same tick: ioredis opened
// that pipeline with the client's commands of the time, so the new command must not join it.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let client: RedisClient;
before(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'fast', { enableAutoPipelining: true });
});
after(async () => {
  client.disconnect();
  await redis.stop();
});

const ECHO = defineScript({
  name: 'test-first-run-echo',
  keys: 1,
  lua: "redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]",
});

test('a script first run beside other commands of the same tick works, and every later run too', async () => {
  const [set, first] = await Promise.all([client.set('a', '1'), runScript(client, ECHO, ['k'], ['one'])]);
  assert.deepEqual([set, first], ['OK', 'one']);
  const again = await Promise.all([client.get('a'), runScript(client, ECHO, ['k'], ['two']), client.get('k')]);
  assert.deepEqual(again, ['1', 'two', 'two']);
});
