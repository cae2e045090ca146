import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack } from '../helpers/stack.js';

test('with Redis down, /readyz is 503 and webhooks answer a spoken apology (valid TwiML)', async () => {
  const redis = await startTestRedis();
  const web = webStack(redis.url, { prefix: '{t-down}' });
  try {
    await waitFor('redis ready', async () => (await request(web.app).get('/readyz')).status === 200);
    await redis.stop();
    await waitFor('redis seen down', () => web.redis.status !== 'ready');
    const ready = await request(web.app).get('/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.redis, false);
    const t = await web.sim().dial();
    assert.equal(t.status, 200);
    // The default flow's error route: its apology, then an agent (no call state needed).
    assert.deepEqual(t.says, [
      'Sorry, something went wrong on our side.',
      'Please hold while we connect you to an agent.',
    ]);
    assert.equal(t.transfer?.target, 'support');
    assert.equal((await request(web.app).get('/healthz')).status, 200, 'liveness is unaffected');
  } finally {
    await web.close();
    await redis.stop();
  }
});
