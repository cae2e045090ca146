import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { DEFAULT_DOORS } from '../../src/config/doors.js';
import { createLogger } from '../../src/platform/logger.js';
import { pushAt } from '../helpers/door-push.js';
import { artifactsDir } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { TEST_KEY, waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The self-service page in a real browser (Debian's chromium through playwright-core), against
// the dev SMSC: number → code by SMS → the PIN once → the delivery state, live, until delivered;
// then in Spanish from a now hot address, through the ALTCHA proof of work. No number or PIN
// in any URL the browser asked for, nor in any log line. Screenshots in test-artifacts/setup/.
// biome-ignore lint/suspicious/noExplicitAny: page-side callbacks get the DOM's own types at run time
declare const document: { querySelector(s: string): any };

const shots = join(artifactsDir, 'setup');

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
const logs: string[] = [];
const urls: string[] = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-setup}' });
  const logger = createLogger({ level: 'info', name: 'web' }, { write: (s: string) => void logs.push(s) });
  web = webStack(redis.url, {
    prefix: '{t-setup}',
    logger,
    // Hot after one code from an address; a light proof of work so the test is quick.
    doors: {
      tokens: [],
      config: {
        setup: { ...DEFAULT_DOORS.setup, challenge: 'hot', hot: { ip: 1, prefix: 50 }, cost: 50, counter: 60 },
      },
    },
  });
  await web.ready();
  server = createServer(web.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  base = `http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 700, height: 900 }, locale: 'en-GB' })).newPage();
  page.setDefaultTimeout(20_000);
  page.on('request', (r) => urls.push(r.url()));
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await web?.close();
  await worker?.close();
  await redis?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const codeFor = (msisdn: string) =>
  waitFor(
    `code SMS to ${msisdn}`,
    () =>
      worker.smsc.received
        .filter((r) => r.destinationAddr === msisdn.slice(1) && r.text)
        .map((r) => /(\d{6})/.exec(r.text!)?.[1])
        .at(-1),
    20_000,
  );

test('number → code → PIN once → live state until delivered; the push is signed with that PIN', async () => {
  await page.goto(`${base}/setup`);
  assert.equal(await page.textContent('h1'), 'Set up your phone');
  await page.fill('#number', '07400 400001');
  await shot('01-number');
  await page.click('#number-form button[type=submit]');
  await page.waitForSelector('#code-form');
  assert.equal(new URL(page.url()).search, '?lang=en', 'the number is not in the URL');
  assert.match((await page.textContent('#sent')) ?? '', /We have sent a text message with a 6-digit code.*\+44\*+001/);
  await page.fill('#code', await codeFor('+447400400001'));
  await shot('02-code');
  await page.click('#code-form button[type=submit]');
  const pinText = (await page.textContent('#pin')) ?? '';
  const pin = /Your PIN is (\d{6})\./.exec(pinText)?.[1];
  assert.ok(pin, pinText);
  await page.waitForFunction(() => document.querySelector('#delivery')?.dataset.state === 'delivered', undefined, {
    timeout: 30_000,
  });
  assert.match((await page.textContent('#delivery')) ?? '', /^Delivered: your phone has the settings/);
  await shot('03-delivered');
  pushAt(worker.smsc, '+447400400001', { pin });

  await page.reload();
  assert.equal(await page.$('#pin'), null, 'the PIN is shown once');
  assert.match((await page.textContent('#delivery')) ?? '', /^Delivered/);
  const status = await web.doors!.intake.status('bs-web-' + (await visit()));
  assert.equal(status?.origin?.door, 'web');
  assert.match(status?.origin?.by ?? '', /^web 127\.0\.0\.\*$/);
  await page.click('button.link');
  await page.waitForSelector('#number-form');
});

test('en español, desde una dirección ya caliente: prueba de trabajo (ALTCHA) antes del SMS', async () => {
  await page.goto(`${base}/setup?lang=es`);
  assert.equal(await page.textContent('h1'), 'Configure su teléfono');
  await page.fill('#number', '+34 612 345 678');
  await page.click('#number-form button[type=submit]');
  await page.waitForSelector('altcha-widget');
  assert.match((await page.textContent('#message')) ?? '', /Primero confirme que es una persona/);
  assert.equal(await page.inputValue('#number'), '+34 612 345 678', 'the number is kept in the form, not the URL');
  await page.click('altcha-widget label');
  await page.waitForFunction(() => document.querySelector('altcha-widget input[name=altcha]')?.value?.length > 20);
  await shot('04-challenge-solved');
  await page.click('#number-form button[type=submit]');
  await page.waitForSelector('#code-form');
  assert.match((await page.textContent('#sent')) ?? '', /Hemos enviado un mensaje de texto con un código de 6 cifras/);
  await page.fill('#code', await codeFor('+34612345678'));
  await page.click('#code-form button[type=submit]');
  assert.match((await page.textContent('#pin')) ?? '', /^Su PIN es \d{6}\.$/);
  await page.waitForFunction(() => document.querySelector('#delivery')?.dataset.state === 'delivered', undefined, {
    timeout: 30_000,
  });
  assert.match((await page.textContent('#delivery')) ?? '', /^Entregada/);
  await shot('05-es-delivered');
});

test('no number, code or PIN in any URL the browser asked for, nor in any log line', async () => {
  assert.ok(urls.length > 10);
  for (const u of urls) assert.doesNotMatch(u, /7400400001|612345678|%2B|\d{6}(?!\d)/, u);
  assert.ok(logs.some((l) => l.includes('"door":"web"')));
  for (const l of logs) assert.doesNotMatch(l, /7400400001|612345678/, l);
});

/** This browser's current visit id (from its session, which only its cookie names). */
async function visit(): Promise<string> {
  const sid = (await page.context().cookies()).find((c) => c.name === 'bl_setup')?.value ?? '';
  const { SetupSessions } = await import('../../src/doors/web/session.js');
  return (await new SetupSessions(web.redis, TEST_KEY).read(sid)).visit ?? '';
}
