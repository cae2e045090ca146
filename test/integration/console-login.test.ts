import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { createWeb, type Web } from '../../src/app/web.js';
import type { Config } from '../../src/config/config.js';
import { LOGIN_POLICY, LoginThrottle } from '../../src/console/throttle.js';
import { silentLogger } from '../../src/platform/logger.js';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_KEY } from '../helpers/stack.js';

// The console login behind a balancer: failures back off per address and name, in Redis (so
// every web process agrees), a correct token under another name is never held back, and the
// client address and scheme come from trusted proxies only. Plus the headers a browser needs
// to render the console over plain HTTP, and that nothing may frame it.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
const others: Web[] = [];

before(async () => {
  redis = await startTestRedis();
  s = consoleStack(redis.url, { prefix: '{t-login}' });
  await s.web.ready();
});
after(async () => {
  for (const w of others) await w.close();
  await s.close();
  await redis.stop();
});

/** Another web process on the same Redis and folder, with its own settings (built as main/web.ts builds it). */
function webProcess(o: { security?: Partial<Config['security']>; publicBaseUrl?: string } = {}): RequestListener {
  const config: Config = {
    ...s.web.config,
    ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl } : {}),
    security: { ...s.web.config.security, ...o.security },
  };
  const web = createWeb(config, { logger: silentLogger(), queuePrefix: '{t-login}', flows: s.web.flows });
  others.push(web);
  return web.listener;
}

const form = (app: RequestListener, o: { token: string; name: string; from?: string }) => {
  const r = request(app).post('/console/login').type('form');
  if (o.from) r.set('x-forwarded-for', o.from);
  return r.send({ token: o.token, name: o.name, next: '/console' });
};

test('ten failures from a shared address: the correct token under any other name still logs in, at once', async () => {
  for (let i = 0; i < 10; i++) {
    const r = await form(s.app, { token: `guess-${i}`, name: 'Mallory' });
    assert.ok([401, 429].includes(r.status), String(r.status));
  }
  for (const name of ['Dee', 'Ann Operator', '']) {
    const ok = await form(s.app, { token: OPERATOR, name });
    assert.equal(ok.status, 303, `"${name}" logs in`);
    assert.match(ok.headers['set-cookie']![0]!, /^bl_console=/);
  }
  assert.equal((await form(s.app, { token: OPERATOR, name: ' MALLORY ' })).status, 429, 'the name guessed under waits');
});

test('the back-off is shared by every web process (Redis) and doubles with each failure', async () => {
  for (let i = 0; i < 6; i++) await form(s.app, { token: `x-${i}`, name: 'Eve' });
  const other = webProcess();
  const there = await form(other, { token: OPERATOR, name: 'Eve' });
  assert.equal(there.status, 429, 'another process sees the back-off');

  const throttle = new LoginThrottle(s.web.redis, TEST_KEY);
  const t0 = Date.now();
  const waits: number[] = [];
  for (let i = 0; i < LOGIN_POLICY.free + 5; i++) {
    await throttle.fail('192.0.2.1', 'Zed', t0);
    waits.push(await throttle.blockedFor('192.0.2.1', 'zed', t0));
  }
  assert.deepEqual(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16], 'five free, then 1 s doubling');
  for (let i = 0; i < 20; i++) await throttle.fail('192.0.2.1', 'Zed', t0);
  assert.equal(await throttle.blockedFor('192.0.2.1', 'Zed', t0), LOGIN_POLICY.maxMs / 1000, 'at most 15 minutes');
  await throttle.succeed('192.0.2.1', 'Zed');
  assert.equal(await throttle.blockedFor('192.0.2.1', 'Zed', t0), 0, 'a login clears it');
  const keys = await s.web.redis.keys('bl:login:*');
  assert.ok(keys.length > 0);
  assert.ok(!keys.some((k) => /192|Eve|Mallory/i.test(k)), `no address or name in key names: ${keys}`);
});

test('X-Forwarded-For counts only from TRUSTED_PROXIES', async () => {
  // No trusted proxies (the default): the header is ignored, so rotating it changes nothing.
  for (let i = 0; i < 8; i++) await form(s.app, { token: 'nope', name: 'Rotor', from: `203.0.113.${i}` });
  assert.equal((await form(s.app, { token: OPERATOR, name: 'Rotor', from: '198.51.100.1' })).status, 429);
  // Behind a trusted proxy (this loopback peer), the client named in the header is the one throttled.
  const behind = webProcess({ security: { trustedProxies: ['loopback'] } });
  for (let i = 0; i < 8; i++) await form(behind, { token: 'nope', name: 'Proxied', from: '203.0.113.50' });
  assert.equal((await form(behind, { token: OPERATOR, name: 'Proxied', from: '203.0.113.50' })).status, 429);
  const elsewhere = await form(behind, { token: OPERATOR, name: 'Proxied', from: '198.51.100.7, 203.0.113.50' });
  assert.equal(elsewhere.status, 429, 'an address the client wrote in front of the real one is not believed');
  assert.equal((await form(behind, { token: OPERATOR, name: 'Proxied', from: '198.51.100.7' })).status, 303);
});

test('the login page says when the Secure cookie cannot be kept (plain HTTP, not localhost)', async () => {
  const page = (app: RequestListener, host: string, proto?: string) => {
    const r = request(app).get('/console/login').set('host', host);
    if (proto) r.set('x-forwarded-proto', proto);
    return r.then((res) => res.text);
  };
  assert.match(await page(s.app, 'console.example.com'), /id="insecure"[^>]*>This page came over plain HTTP/);
  assert.match(
    await page(s.app, 'console.example.com', 'https'),
    /id="insecure"/,
    'a header from anyone is not believed',
  );
  for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'console.localhost'])
    assert.doesNotMatch(await page(s.app, host), /id="insecure"/, host);
  const behind = webProcess({ security: { trustedProxies: ['127.0.0.0/8', '::1'] } });
  assert.doesNotMatch(
    await page(behind, 'console.example.com', 'https'),
    /id="insecure"/,
    'TLS ended at a trusted proxy',
  );
});

test('CSP upgrade-insecure-requests and HSTS only with an https PUBLIC_BASE_URL; no page may be framed', async () => {
  const https = await request(s.app).get('/console/login');
  assert.match(https.headers['content-security-policy']!, /upgrade-insecure-requests/);
  assert.ok(https.headers['strict-transport-security']);
  const plain = await request(webProcess({ publicBaseUrl: 'http://10.0.0.5:3000' })).get('/console/login');
  assert.doesNotMatch(plain.headers['content-security-policy']!, /upgrade-insecure-requests/);
  assert.equal(plain.headers['strict-transport-security'], undefined);
  assert.equal((await request(s.app).get('/console/static/console.css')).status, 200);
  for (const path of ['/console/login', '/api/flows', '/admin/queues', '/healthz']) {
    const r = await request(s.app).get(path);
    assert.match(r.headers['content-security-policy']!, /frame-ancestors 'none'/, path);
    assert.equal(r.headers['x-frame-options'], 'DENY', path);
  }
});
