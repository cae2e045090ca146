import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import request from 'supertest';
import { artifactsDir } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { consoleStack, OPERATOR, POS, type ConsoleStack } from '../helpers/console-stack.js';
import { EventSink } from '../helpers/event-sink.js';
import { waitFor } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// A real browser (Debian's chromium, playwright-core) on the console's delivery pages: a batch
// whose receipts the SMSC holds back shows as unfinished; once they arrive, the page's script
// moves its progress bar, counts and phase without a reload. An event a subscriber refused is
// sent again from the dead-letters page (the browser's own headers pass the session's
// same-origin check). Screenshots land in test-artifacts/console/.
const shots = join(artifactsDir, 'console');
const PREFIX = '{t-browser-deliveries}';
const SECRET = 'browser-subscriber-secret-0';
const crm = new EventSink(SECRET);

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let stack: ConsoleStack;
let browser: Browser;
let page: Page;

before(async () => {
  mkdirSync(shots, { recursive: true });
  redis = await startTestRedis();
  crm.answer = (e) => (e.type.endsWith('.queued') ? 400 : 204);
  const subscribers = [{ name: 'crm', url: await crm.listen(), secret: SECRET }];
  stack = consoleStack(redis.url, {
    prefix: PREFIX,
    env: { EVENT_SUBSCRIBERS: JSON.stringify(subscribers) },
    doors: { config: { batch: { window: 8 } } },
  });
  const lifecycle = stack.web.config.lifecycle;
  worker = await workerStack(redis.url, {
    prefix: PREFIX,
    config: { lifecycle },
    smsc: { faults: { receipts: 'withhold' } },
  });
  await stack.web.ready();
  await stack.listen();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await stack?.close();
  await worker?.close();
  await crm.close();
  await redis?.stop();
});

test('the batches page follows a running batch to the end without a reload', async () => {
  const csv = ['msisdn,pin', '+447400800001,123456', '+447400800002,234567', '+447400800003,345678'].join('\n');
  const up = await request(stack.app)
    .post('/api/batches')
    .set('Authorization', `Bearer ${POS}`)
    .set('Content-Type', 'text/csv')
    .send(csv);
  assert.equal(up.status, 202, up.text);
  const id = up.body.batchId as string;
  await waitFor('submitted', async () => (await stack.web.doors.batches.meta(id))?.counts.submitted === 3, 20_000);

  await page.goto(`${stack.url}/console/login?next=%2Fconsole%2Fbatches`);
  await page.fill('#token', OPERATOR);
  await page.click('button[type=submit]');
  await page.waitForURL(`${stack.url}/console/batches`);
  const bar = page.locator(`[data-batch="${id}"] progress`);
  assert.equal(await bar.evaluate((e) => (e as { value: number }).value), 0, 'nothing delivered yet');
  assert.equal(await page.textContent(`[data-batch-row="${id}"] [data-count="submitted"]`), '3');
  await shot('batches-running');

  worker.smsc.setFaults({ receipts: 'deliver' });
  await page.waitForFunction(
    (b) =>
      (
        globalThis as unknown as { document: { querySelector(s: string): { value: number } | null } }
      ).document.querySelector(`[data-batch="${b}"] progress`)?.value === 1,
    id,
    { timeout: 20_000 },
  );
  assert.equal(await page.textContent(`[data-batch-row="${id}"] [data-count="delivered"]`), '3');
  assert.equal(await page.textContent(`[data-phase-of="${id}"]`), 'done');
  assert.equal(await page.textContent(`[data-batch="${id}"] .pct`), '100 %');
  await shot('batches-done');

  await page.click(`a[href="/console/batches/${id}"]`);
  await page.waitForURL(`${stack.url}/console/batches/${id}`);
  assert.match((await page.textContent('#no-rows')) ?? '', /No failed rows/);
});

test('a dead letter is sent again from the console', async () => {
  const sale = await request(stack.app)
    .post('/api/bootstraps')
    .set('Authorization', `Bearer ${POS}`)
    .send({ msisdn: '+447400800009', reference: 'dl-1' });
  assert.equal(sale.status, 202, sale.text);
  const id = sale.body.id as string;
  const job = `evt-${id}-3-crm`;
  await waitFor('dead letter', async () => (await stack.web.web.lifecycle.queues.events.getJobState(job)) === 'failed');
  await page.goto(`${stack.url}/console/dead-letters`);
  crm.answer = () => 204;
  await page.click(`button[data-job="${job}"]`);
  await page.waitForURL(/\/console\/dead-letters\?retried=/);
  assert.match((await page.textContent('#retried')) ?? '', new RegExp(job));
  await waitFor('delivered to the subscriber', () => crm.types(id).includes('org.bootline.bootstrap.queued'), 20_000);
  assert.equal(await page.locator(`button[data-job="${job}"]`).count(), 0);
  await shot('dead-letters-sent-again');
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
