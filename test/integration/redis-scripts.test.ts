import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedis } from '../../src/platform/redis/client.js';
import { defineScript, runScript } from '../../src/platform/redis/scripts.js';
import { startTestRedis } from '../helpers/redis.js';

// Scripts run as ioredis custom commands, registered on a client at first use. On an
// auto-pipelined client (the web and the worker) a script first used in the same tick as
// other commands joins the pipeline those commands opened.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis.stop();
});

const ECHO = defineScript({
  name: 'test-echo-key',
  keys: 1,
  lua: "return {KEYS[1], ARGV[1], redis.call('GET', KEYS[1])}",
});

test('a script first used in the same tick as other auto-pipelined commands runs (and twice)', async () => {
  const r = createRedis(redis.url, 'fast', { enableAutoPipelining: true });
  try {
    await r.set('k', 'v');
    const [got, first, second] = await Promise.all([
      r.get('k'),
      runScript(r, ECHO, ['k'], ['a']),
      runScript(r, ECHO, ['k'], ['b']),
    ]);
    assert.deepEqual([got, first, second], ['v', ['k', 'a', 'v'], ['k', 'b', 'v']]);
  } finally {
    r.disconnect();
  }
});
