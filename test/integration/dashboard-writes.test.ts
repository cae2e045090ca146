import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { startTestRedis } from '../helpers/redis.js';

// The queue dashboard takes Basic credentials, which a browser attaches to any request to us,
// including one a page of another site makes it send. Its writes must come from its own page:
// JSON bodies, same origin. Jobs cannot be written by hand at all.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
const basic = { authorization: `Basic ${Buffer.from(`ops:${OPERATOR}`).toString('base64')}` };
const board = '/admin/queues/api';
const jobs = async () => Object.values(await s.web.queue.getJobCounts()).reduce((a, b) => a + b, 0);

before(async () => {
  redis = await startTestRedis();
  s = consoleStack(redis.url, { prefix: '{t-board}' });
  await s.web.ready();
});
after(async () => {
  await s.close();
  await redis.stop();
});

test('"add job" by a simple cross-site request (text/plain, form, multipart) creates nothing', async () => {
  const before = await jobs();
  const body = JSON.stringify({ name: 'push', data: { bootstrapId: 'bs-forged' }, options: {} });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await request(s.app)
      .post(`${board}/queues/bootstrap/add`)
      .set(basic)
      .set('content-type', type)
      .send(body);
    assert.ok(res.status >= 400 && res.status < 500, `${type}: ${res.status}`);
  }
  assert.equal(await jobs(), before, 'no job was added');
});

test('adding or editing job data is disabled even from the board itself (JSON, same origin)', async () => {
  const job = await s.web.queue.add('push', { bootstrapId: 'bs-real' }, { jobId: 'bs-real', delay: 60_000 });
  const add = await request(s.app)
    .post(`${board}/queues/bootstrap/add`)
    .set(basic)
    .set('sec-fetch-site', 'same-origin')
    .send({ name: 'push', data: { bootstrapId: 'bs-forged' }, options: {} });
  assert.equal(add.status, 403);
  assert.match(add.body.error.message, /made by bootline only/);
  const edit = await request(s.app)
    .patch(`${board}/queues/bootstrap/${job.id}/update-data`)
    .set(basic)
    .send({ jobData: { bootstrapId: 'bs-other' } });
  assert.equal(edit.status, 403);
  assert.deepEqual((await s.web.queue.getJob('bs-real'))?.data, { bootstrapId: 'bs-real' });
  assert.equal(await s.web.queue.getJob('bs-forged'), undefined);
});

test('every write refuses another origin and non-JSON bodies; the board page itself still works', async () => {
  const pause = () => request(s.app).put(`${board}/queues/bootstrap/pause`).set(basic);
  const cross = await pause().set('origin', 'https://evil.example').set('sec-fetch-site', 'cross-site');
  assert.equal(cross.status, 403);
  assert.match(cross.body.error.message, /cross-site/);
  assert.equal((await pause().set('sec-fetch-site', 'same-site')).status, 403, 'a sibling subdomain is another site');
  assert.equal((await pause().set('origin', 'null')).status, 403, 'an opaque origin (sandboxed frame)');
  const form = await pause().type('form').send('x=1');
  assert.equal(form.status, 415);
  assert.equal(form.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  const purge = await request(s.app)
    .post(`${board}/metrics/history/purge`)
    .set(basic)
    .set('origin', 'https://evil.example');
  assert.equal(purge.status, 403, 'a bodiless POST from another origin');
  assert.equal(await s.web.queue.isPaused(), false, 'nothing was paused');

  // What the board's own page sends: same origin, no body or a JSON one.
  const host = '127.0.0.1:3000';
  const ok = await pause().set('host', host).set('origin', `http://${host}`).set('sec-fetch-site', 'same-origin');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await s.web.queue.isPaused(), true);
  const resume = await request(s.app)
    .put(`${board}/queues/bootstrap/resume`)
    .set(basic)
    .set('content-type', 'application/json')
    .send('{}');
  assert.equal(resume.status, 200, 'a client that is not a browser (no Origin) with JSON');
  assert.equal(await s.web.queue.isPaused(), false);
  assert.equal(
    (await request(s.app).get(`${board}/queues`).set(basic).set('sec-fetch-site', 'cross-site')).status,
    200,
  );
});
