import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { artifactsDir, repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';
import { waitFor } from '../helpers/stack.js';

// A real browser (Debian's chromium, driven by playwright-core) through the operator's day:
// log in, open a flow, break it and see the error at its line, fix it, publish, and call the
// published version in the simulator up to the PIN. Screenshots land in test-artifacts/console/.
// Page-side callbacks run in the browser; this file compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: page-side callbacks get the DOM's own types at run time
declare const document: { querySelector(s: string): any; querySelectorAll(s: string): { length: number } };
/** The page's editor handle (flow page), for reading what the operator sees. */
type Editor = { text(): string; cursorLine(): number };
const editorText = () =>
  page.evaluate(() => (globalThis as unknown as { bootlineEditor: Editor }).bootlineEditor.text());
const cursorLine = () =>
  page.evaluate(() => (globalThis as unknown as { bootlineEditor: Editor }).bootlineEditor.cursorLine());
/** Replaces the editor's text as typing would (select all, type over). */
const typeOver = async (text: string) => {
  await page.click('.cm-content');
  await page.keyboard.press('Control+a');
  await page.locator('.cm-content').fill(text);
};

const OLD_SENT = 'We have sent a text message with a 6-digit code to that phone.';
const NEW_SENT = 'A code is on its way to that phone by text message.';
const shots = join(artifactsDir, 'console');

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let stack: ConsoleStack;
let browser: Browser;
let page: Page;
let original: string;

before(async () => {
  mkdirSync(shots, { recursive: true });
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-browser}' });
  stack = consoleStack(redis.url, { prefix: '{t-browser}' });
  cpSync(join(repoRoot, 'voice-flows', 'tests'), join(stack.dir, 'tests'), { recursive: true });
  await stack.web.ready();
  await stack.listen();
  original = readFileSync(join(stack.dir, 'bootstrap.yaml'), 'utf8');
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
  await shot('01-login');
  await page.fill('#name', 'Ann Operator');
  await page.fill('#token', OPERATOR);
  await page.click('button[type=submit]');
  await page.waitForURL(stack.url + '/console');
  assert.match((await page.textContent('table.list tbody')) ?? '', /bootstrap/);
  assert.match((await page.textContent('.logout')) ?? '', /Ann Operator/);
  await shot('02-flows');
});

test('open a flow, break it: the error points at its line and nothing is published', async () => {
  await page.click('a[href="/console/flows/bootstrap"]');
  await page.waitForURL(/\/console\/flows\/bootstrap$/);
  await page.waitForSelector('#diagram-box svg g.node[data-step="language"]');
  assert.equal(await editorText(), original);

  const brokenLine = original.split('\n').indexOf('    timeout: 8') + 1;
  assert.ok(brokenLine > 0);
  await typeOver(original.replace('    timeout: 8\n', '    timeot: 8\n'));
  await page.waitForFunction(() => /problem/.test(document.querySelector('#status')?.textContent ?? ''));
  const problem = await page.textContent('#problems li');
  assert.match(problem ?? '', new RegExp(`^Line ${brokenLine} steps\\.\\w+\\.timeot unknown key "timeot"`));
  await page.click('#problems .goto-line');
  assert.equal(await cursorLine(), brokenLine, 'the problem button moves the caret to the offending line');
  await page.waitForSelector('#diagram-box g.node.has-problems[data-step="number"]');
  await page.waitForSelector('.cm-lint-marker-error');
  await shot('03-flow-invalid');

  await page.fill('#message', 'try to publish a typo');
  await page.click('#publish');
  await page.waitForFunction(() => /^Not published/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal(readFileSync(join(stack.dir, 'bootstrap.yaml'), 'utf8'), original, 'the live file is untouched');
  assert.equal(stack.admin.revisions('bootstrap').length, 1);
});

test('the diagram fits its pane, a node click moves the editor, the cursor highlights its node', async () => {
  const pane = (await page.locator('#diagram-box').boundingBox())!;
  const drawn = (await page.locator('#diagram-box svg .svg-pan-zoom_viewport').boundingBox())!;
  assert.ok(drawn.width > pane.width * 0.5 || drawn.height > pane.height * 0.5, 'the flow fills the pane');
  assert.ok(drawn.x >= pane.x - 1 && drawn.x + drawn.width <= pane.x + pane.width + 1, 'no wider than the pane');
  assert.ok(drawn.y >= pane.y - 1 && drawn.y + drawn.height <= pane.y + pane.height + 1, 'no taller than the pane');
  const confirmLine = original.split('\n').indexOf('  confirm:') + 1;
  await page.click('#diagram-box g.node[data-step="confirm"]');
  assert.equal(await cursorLine(), confirmLine, 'a node click puts the cursor on its step');
  await page.waitForSelector('#diagram-box g.node.current[data-step="confirm"]');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+End');
  await page.waitForSelector('#diagram-box g.node.current[data-step="noAgent"]');
  await shot('03b-diagram-node');
});

test('schema completion offers the step types where a type goes', async () => {
  const typeLine = original.split('\n').indexOf('    type: say') + 1;
  await page.evaluate((n) => {
    (globalThis as unknown as { bootlineEditor: { gotoLine(l: number): void } }).bootlineEditor.gotoLine(n);
  }, typeLine);
  await page.keyboard.press('End');
  for (let i = 0; i < 'say'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('.cm-tooltip-autocomplete');
  const offered = await page.locator('.cm-tooltip-autocomplete li').allTextContents();
  for (const t of ['say', 'gather-number', 'transfer-to-agent'])
    assert.ok(
      offered.some((o) => o.includes(t)),
      `${t} is offered (got ${offered.join(', ')})`,
    );
  await shot('03c-completion');
  await page.keyboard.press('Escape');
  await page.keyboard.type('say');
});

test('fix it, see the diff, publish: the file, the registry and the history change', async () => {
  const fixed = original.replace(OLD_SENT, NEW_SENT);
  await typeOver(fixed);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Valid.');
  await page.click('#show-diff');
  await page.waitForFunction(
    (t) => document.querySelector('#diff')?.textContent?.includes(t),
    `+    codeSent: ${NEW_SENT}`,
  );
  assert.match((await page.textContent('#diff')) ?? '', new RegExp(`-    codeSent: ${OLD_SENT.replace('.', '\\.')}`));
  await shot('04-flow-diff');

  // The flow tests still expect the old wording: run from the console, they say so.
  await page.click('#run-tests');
  await page.waitForSelector('#tests-summary', { timeout: 60_000 });
  assert.match((await page.textContent('#tests-summary')) ?? '', /^\d+ passed, [1-9]\d* failed \(draft/);
  const failed = await page.locator('ul.tests > li.fail').allTextContents();
  assert.ok(
    failed.some((f) => /expected to hear "We have sent a text message/.test(f)),
    failed.join('\n'),
  );
  await shot('04b-flow-tests');

  // Publishing is refused until the operator gives a reason; the reason goes into the history.
  await page.fill('#message', 'Shorter code-sent prompt');
  await page.click('#publish');
  await page.waitForSelector('#override', { state: 'visible' });
  assert.match((await page.textContent('#status')) ?? '', /^Not published: the flow tests fail/);
  assert.equal(stack.admin.revisions('bootstrap').length, 1, 'nothing published yet');
  await page.fill('#override', 'tests follow the new wording');
  await page.click('#publish');
  await page.waitForFunction(() => document.querySelectorAll('#history tbody tr').length === 2);
  assert.match(
    (await page.textContent('#history tbody tr')) ?? '',
    /Ann Operator.*publish: Shorter code-sent prompt.*failed.*published over failing tests: tests follow the new wording.*\+1 −1/s,
  );
  assert.equal(readFileSync(join(stack.dir, 'bootstrap.yaml'), 'utf8'), fixed);
  assert.equal(stack.web.flows.get('bootstrap').source, fixed, 'new calls get the published version at once');
  await shot('05-flow-published');
});

test('a new flow from the flows page, by keyboard: a draft copy under its own id', async () => {
  await page.goto(stack.url + '/console');
  await page.focus('#new-id');
  await page.keyboard.type('promo-line');
  await page.keyboard.press('Enter');
  await page.waitForURL(stack.url + '/console/flows/promo-line');
  assert.match((await page.textContent('h1')) ?? '', /promo-line\s+new, unpublished/);
  assert.match(await editorText(), /^id: promo-line$/m);
  assert.equal(await page.textContent('#status'), 'Valid.');
  await shot('07-new-flow');
});

test('two operators editing at once: the second save is refused and shown with a diff', async () => {
  const other = await page.context().newPage();
  try {
    await page.goto(stack.url + '/console/flows/promo-line');
    await other.goto(stack.url + '/console/flows/promo-line');
    const text = await editorText();
    await other.click('.cm-content');
    await other.keyboard.press('Control+a');
    await other.locator('.cm-content').fill(text.replace('Welcome to device setup.', 'Welcome from tab two.'));
    await other.click('#save');
    await waitFor('the other tab saved', () => /tab two/.test(stack.admin.get('promo-line').draftText ?? ''), 20_000);
    await other.waitForFunction(
      () => /^Draft saved/.test(document.querySelector('#status')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    await typeOver(text.replace('Welcome to device setup.', 'Welcome from tab one.'));
    await page.click('#save');
    await page.waitForFunction(() => /FLOW_CONFLICT/.test(document.querySelector('#conflict')?.textContent ?? ''));
    const diff = (await page.textContent('#diff')) ?? '';
    assert.match(diff, /^-.*Welcome from tab two\./m, 'the diff shows the other save');
    assert.match(diff, /^\+.*Welcome from tab one\./m);
    assert.match((await stack.admin.get('promo-line').draftText) ?? '', /tab two/, 'the first save stands');
    await shot('08-conflict');
  } finally {
    await other.close();
  }
});
