import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { hashToken } from '../../src/platform/http/auth.js';
import { pushAt } from '../helpers/door-push.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { acceptedSegments, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The bulk API end to end: a CSV and a JSON-lines file are read as streams, every bad row is
// reported with its row and line and nothing is pushed for it, the good rows reach the dev
// SMSC once each (USERPIN-signed with the row's PIN, read by libwbxml), and the batch's counts
// and pages of rows follow the pushes.
const POS = 'pos-token-batch-tests-0123456';
const POS2 = 'pos-token-batch-other-0123456';
const tokens = [
  { role: 'pos' as const, sha256: hashToken(POS) },
  { role: 'pos' as const, sha256: hashToken(POS2) },
];

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  web = webStack(redis.url, { prefix: '{t-batch}', doors: { tokens, config: { batch: { window: 8 } } } });
  worker = await workerStack(redis.url, { prefix: '{t-batch}' });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

const number = (i: number) => `+4474003${String(i).padStart(5, '0')}`;
const upload = (body: string, type: string, token = POS, query = '') =>
  request(web.app)
    .post(`/api/batches${query}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', type)
    .send(body);
const get = (path: string, token = POS) => request(web.app).get(path).set('Authorization', `Bearer ${token}`);
const finished = (id: string, token = POS) =>
  waitFor(
    `batch ${id} done`,
    async () => {
      const b = await get(`/api/batches/${id}`, token);
      return b.body.phase === 'done' ? b.body : null;
    },
    30_000,
  );

test('CSV: bad rows reported by row and line, good rows pushed once each, counts and pages follow', async () => {
  const good = Array.from({ length: 24 }, (_, i) => `${number(i)},sale-${i},${String(100000 + i)}`);
  const csv = [
    'msisdn,reference,pin',
    ...good.slice(0, 10),
    'not-a-number,sale-x,123456', // row 11, line 12
    `${number(3)},dupe,123456`, // row 12: the same number as row 4
    `${number(90)},nopin,`, // row 13: USERPIN needs the row's PIN
    '+14155550100,us,123456', // row 14: a country the destination policy refuses
    `${number(91)},"two, fields"`, // row 15: 2 fields
    ...good.slice(10),
  ].join('\n');
  const res = await upload(csv, 'text/csv');
  assert.equal(res.status, 202, res.text);
  assert.match(res.body.batchId, /^bt[0-9a-f]{16}$/);
  assert.deepEqual([res.body.rows, res.body.valid, res.body.invalid], [29, 24, 5]);
  assert.deepEqual(
    res.body.errors.map((e: { row: number; line: number }) => [e.row, e.line]),
    [
      [11, 12],
      [12, 13],
      [13, 14],
      [14, 15],
      [15, 16],
    ],
  );
  assert.match(res.body.errors[1].error, /same number as row 4/);
  assert.match(res.body.errors[2].error, /USERPIN needs the PIN/);
  assert.match(res.body.errors[3].error, /DESTINATION|refused/);
  assert.match(res.body.errors[4].error, /2 fields where the header has 3/);

  const done = await finished(res.body.batchId);
  assert.equal(done.counts.delivered, 24, JSON.stringify(done));
  assert.equal(done.counts.invalid, 5);
  assert.equal(done.counts.pending + done.counts.queued + done.counts.submitted, 0);
  assert.deepEqual(done.progress, { asked: 1, sent: 1, final: 1 });
  const segs = acceptedSegments(worker.smsc);
  for (let i = 0; i < 24; i++) {
    const mine = [...segs].filter(([k]) => k.startsWith(number(i).slice(1) + '/'));
    assert.ok(mine.length >= 2 && mine.every(([, n]) => n === 1), `${number(i)}: every segment once`);
  }
  pushAt(worker.smsc, number(7), { pin: '100007' });

  const page1 = await get(`/api/batches/${res.body.batchId}/rows?state=invalid&limit=2`);
  assert.deepEqual(
    page1.body.rows.map((r: { row: number }) => r.row),
    [11, 12],
  );
  assert.equal(page1.body.next, 12);
  const page2 = await get(`/api/batches/${res.body.batchId}/rows?state=invalid&limit=10&after=12`);
  assert.deepEqual(
    page2.body.rows.map((r: { row: number }) => r.row),
    [13, 14, 15],
  );
  assert.equal(page2.body.next, null);
  assert.match(page2.body.rows[0].error, /^line 14: /);
  const delivered = await get(`/api/batches/${res.body.batchId}/rows?state=delivered&limit=1000`);
  assert.equal(delivered.body.rows.length, 24);
  assert.equal(delivered.body.rows[0].to, '+44*******000');
  const status = await web.doors!.intake.status(delivered.body.rows[0].bootstrapId);
  assert.equal(status?.origin?.door, 'batch');
  assert.equal(status?.origin?.by, `${res.body.batchId} row 1`);
  assert.equal(status?.origin?.reference, 'sale-0');
  assert.equal((await get(`/api/batches/${res.body.batchId}`, POS2)).status, 404, 'another token does not see it');
  const row = `/api/bootstraps/${delivered.body.rows[0].bootstrapId}`;
  assert.equal((await get(row)).body.origin.door, 'batch', "the batch's owner sees its rows' bootstraps");
  assert.equal((await get(row, POS2)).status, 404);
});

test('JSON lines with batch defaults; the list shows a token its own batches', async () => {
  const lines = [
    JSON.stringify({ msisdn: number(200), pin: '424242' }),
    '',
    JSON.stringify({ msisdn: number(201), pin: 424243 }),
    '[1,2]',
    JSON.stringify({ msisdn: number(202), pin: '424244', colour: 'red' }),
  ].join('\n');
  const res = await upload(lines, 'application/x-ndjson', POS2, '?profile=cp&sec=USERPIN');
  assert.equal(res.status, 202, res.text);
  assert.deepEqual([res.body.rows, res.body.valid, res.body.invalid], [4, 2, 2]);
  assert.deepEqual(
    res.body.errors.map((e: { row: number; line: number }) => [e.row, e.line]),
    [
      [3, 4],
      [4, 5],
    ],
  );
  const done = await finished(res.body.batchId, POS2);
  assert.equal(done.counts.delivered, 2);
  pushAt(worker.smsc, number(201), { pin: '424243' });
  const mine = await get('/api/batches', POS2);
  assert.deepEqual(
    mine.body.batches.map((b: { id: string }) => b.id),
    [res.body.batchId],
  );
});

test('refusals up front: media type, header, defaults, onInvalid=reject, more than 100,000 rows', async () => {
  assert.equal((await upload('msisdn\n+447400300001', 'text/plain')).status, 415);
  const header = await upload('number,pin\n+447400300001,1234', 'text/csv');
  assert.equal(header.status, 400);
  assert.match(header.body.error.message, /unknown: number/);
  assert.equal((await upload('msisdn\n', 'text/csv', POS, '?sec=FOO')).status, 400);
  const before = await web.queue.count();
  const rejected = await upload(`msisdn,pin\n${number(300)},123456\nbad,123456`, 'text/csv', POS, '?onInvalid=reject');
  assert.equal(rejected.status, 422);
  assert.equal(rejected.body.error.code, 'BATCH_REJECTED');
  assert.equal(rejected.body.invalid, 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await web.queue.count(), before, 'nothing pushed');

  // Streamed: 100,001 rows are refused without the file ever being held whole.
  const rows = function* () {
    yield 'msisdn,pin\n';
    for (let i = 0; i <= 100_000; i++) yield `x${i},1\n`;
  };
  const big = await request(web.app)
    .post('/api/batches')
    .set('Authorization', `Bearer ${POS}`)
    .set('Content-Type', 'text/csv')
    .send(await text(Readable.from(rows())));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'BATCH_TOO_LARGE');
});

async function text(r: Readable): Promise<string> {
  let s = '';
  for await (const c of r) s += c;
  return s;
}

test('bootline batch submit FILE follows the pushes with a progress bar; batch status ID prints the counts', async () => {
  const server: Server = createServer(web.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'bootline-batch-cli-'));
  const file = join(dir, 'shop.csv');
  writeFileSync(
    file,
    ['msisdn,pin', ...Array.from({ length: 12 }, (_, i) => `${number(400 + i)},55${4000 + i}`), 'x,1'].join('\n'),
  );
  const cli = async (args: string[]) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const code = await main(['batch', ...args, '--url', url, '--token', POS], {
      stdin: new PassThrough(),
      stdout: out,
      stderr: out,
      env: { BOOTLINE_POLL_MS: '100' },
      cwd: dir,
    });
    return { code, text };
  };
  try {
    const sub = await cli(['submit', 'shop.csv']);
    assert.equal(sub.code, 0, sub.text);
    const id = /batch (bt[0-9a-f]{16}): 13 rows, 12 valid, 1 invalid/.exec(sub.text)?.[1];
    assert.ok(id, sub.text);
    assert.match(sub.text, /row 13 \(line 14\): msisdn: /);
    assert.match(sub.text, /pushes \|[█░]+\| 100% \| 12\/12 final \| delivered 12 failed 0 refused 0/);
    const status = await cli(['status', id]);
    assert.equal(status.code, 0);
    assert.match(
      status.text,
      new RegExp(`^${id} done: 12 rows to push \\(1 invalid\\) · pending 0, queued 0, submitted 0, delivered 12`),
    );
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
