import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { AGENT_TOKEN, OPERATOR_TOKEN, agentStack } from '../helpers/agent-stack.js';
import { consoleStack, OPERATOR } from '../helpers/console-stack.js';
import { repoRoot } from '../helpers/paths.js';
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

test('with Redis down, the APIs and the console answer 503 REDIS_UNAVAILABLE with Retry-After, not 500', async () => {
  const redis = await startTestRedis();
  const flows = FlowRegistry.of(
    parseFlow('bootstrap.yaml', readFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), 'utf8')),
  );
  const s = await agentStack(redis.url, { prefix: '{t-down-api}', flows });
  const c = consoleStack(redis.url, { prefix: '{t-down-console}' });
  try {
    await s.ready();
    await c.web.ready();
    await redis.stop();
    await waitFor('redis seen down', () => s.redis.status !== 'ready' && c.web.redis.status !== 'ready');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    for (const [what, res] of [
      ['agent view', await request(s.app).get('/api/agent/bootstraps/bs-x').set(bearer(AGENT_TOKEN))],
      ['code transfer', await request(s.app).post('/api/agent/transfers').set(bearer(AGENT_TOKEN)).send({})],
      ['status API', await request(s.app).get('/api/bootstraps/bs-x').set(bearer(OPERATOR_TOKEN))],
      ['simulated call', await request(c.app).post('/api/sim/calls').set(bearer(OPERATOR)).send({ flow: 'bootstrap' })],
    ] as const) {
      assert.equal(res.status, 503, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.equal(res.headers['retry-after'], '5', what);
      assert.equal(res.body.error.code, 'REDIS_UNAVAILABLE', what);
    }
    assert.equal(
      (await request(c.app).get('/console').set(bearer(OPERATOR))).status,
      200,
      'the console page still renders',
    );
  } finally {
    await c.close();
    await s.close();
    await redis.stop();
  }
});
