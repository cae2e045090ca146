import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { artifactsDir } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// A real browser (Debian's chromium, driven by playwright-core) through the simulator and the
// calls list: call the published version up to the PIN, then open that call's trace from the
// list (the other half of the operator's day is console.test.ts; split to stay within each
// file's time budget). Screenshots land in test-artifacts/console/.
// Page-side callbacks run in the browser; this file compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: page-side callbacks get the DOM's own types at run time
declare const document: { querySelector(s: string): any; querySelectorAll(s: string): { length: number } };
const OLD_SENT = 'We have sent a text message with a 6-digit code to that phone.';
const shots = join(artifactsDir, 'console');

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let stack: ConsoleStack;
let browser: Browser;
let page: Page;

before(async () => {
  mkdirSync(shots, { recursive: true });
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-browser}' });
  stack = consoleStack(redis.url, { prefix: '{t-browser}' });
  await stack.web.ready();
  await stack.listen();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await stack?.close();
  await worker?.close();
  await redis?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

test('log in: an unauthenticated visit lands on the login page; a wrong token is refused', async () => {
  await page.goto(stack.url + '/console');
  assert.match(page.url(), /\/console\/login\?next=%2Fconsole$/);
  await page.fill('#token', 'not-a-token');
  await page.click('button[type=submit]');
  assert.equal(await page.textContent('#login-error'), 'That is not an operator token.');
  await page.fill('#name', 'Ann Operator');
  await page.fill('#token', OPERATOR);
  await page.click('button[type=submit]');
  await page.waitForURL(stack.url + '/console');
  assert.match((await page.textContent('table.list tbody')) ?? '', /bootstrap/);
  assert.match((await page.textContent('.logout')) ?? '', /Ann Operator/);
});

test('simulated call on the published version up to the PIN, from the keyboard and keypad (and its trace link)', async () => {
  // Speech synthesis is recorded rather than played (headless has no audio): the prompts go to it.
  await page.addInitScript(() => {
    const w = globalThis as unknown as { spoken: string[]; speechSynthesis: { speak(u: { text: string }): void } };
    w.spoken = [];
    w.speechSynthesis.speak = (u) => {
      w.spoken.push(u.text);
    };
  });
  await page.goto(stack.url + '/console/sim?flow=bootstrap');
  await page.check('#sim-speak');
  await page.click('#sim-call');
  await page.waitForFunction(() =>
    /For English, press 1/.test(document.querySelector('#transcript')?.textContent ?? ''),
  );
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { spoken: string[] }).spoken), [
    'For English, press 1.',
    'Para español, oprima 2.',
  ]);
  await page.click('.key[data-key="1"]');
  await page.click('#send-keys');
  await page.waitForFunction(() =>
    /key in the mobile number/.test(document.querySelector('#transcript')?.textContent ?? ''),
  );
  await page.focus('#keys');
  await page.keyboard.type('07400123456#');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    /If that is correct, press 1/.test(document.querySelector('#transcript')?.textContent ?? ''),
  );
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('#transcript')?.textContent?.includes(t), OLD_SENT);
  await page.waitForFunction(() => /code is \d{6}/.test(document.querySelector('#sms')?.textContent ?? ''), undefined, {
    timeout: 20_000,
  });
  const code = /code is (\d{6})/.exec((await page.textContent('#sms')) ?? '')![1]!;
  assert.match((await page.textContent('#sms')) ?? '', /\+447400123456/);
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    /Your PIN is \d( \d)+/.test(document.querySelector('#transcript')?.textContent ?? ''),
  );
  await page.waitForFunction(() =>
    /bs-CA\w+: (queued|submitted|delivered)/.test(document.querySelector('#bootstrap')?.textContent ?? ''),
  );
  await shot('06-simulator');
  await page.click('#hangup');
});

test("a simulated call's trace, opened from the calls list: timeline beside the diagram, path lit", async () => {
  await page.goto(stack.url + '/console/calls?source=simulator');
  await page.click('#calls-list tbody tr:first-child a');
  await page.waitForURL(/\/console\/calls\/CA[0-9a-f]{32}$/);
  await page.waitForSelector('#diagram-box g.node.visited[data-step="pin"]');
  const timeline = (await page.textContent('#timeline')) ?? '';
  assert.match(timeline, /caller pressed 07\*{6}456/, 'the number is masked');
  assert.ok(!timeline.includes('07400123456'));
  assert.match(timeline, /code SMS #1 to \+44\*{7}456/);
  assert.match(timeline, /push bs-CA[0-9a-f]{32}: (queued|submitted|delivered)/);
  assert.ok(await page.locator('#diagram-box g.edge.visited[data-from="code"][data-to="pin"]').count());
  await page.click('#timeline a[href^="/console/bootstraps/"]');
  await page.waitForSelector('h1 code');
  assert.match((await page.textContent('h1')) ?? '', /Bootstrap bs-CA[0-9a-f]{32}/);
  await page.goBack();
  await shot('06b-call-trace');
});
