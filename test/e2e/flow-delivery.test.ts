import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// wait-for-delivery against an SMSC that refuses one number permanently and never sends
// delivery receipts: the caller hears "not sent" or, after the flow's timeout, "on its way".
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  const text = readFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), 'utf8').replace(
    '    timeout: 45\n',
    '    timeout: 2\n',
  );
  web = webStack(redis.url, { prefix: '{t-dlv}', flows: FlowRegistry.of(parseFlow('bootstrap.yaml', text)) });
  worker = await workerStack(redis.url, {
    prefix: '{t-dlv}',
    smsc: { receiptDelayMs: null, statusFor: ({ destinationAddr }) => (destinationAddr.endsWith('999') ? 0x0b : 0) },
  });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

/** Attested callers typing their own number: straight to the PIN and the push. */
async function holdFor(number: string) {
  const sim = web.sim({ from: number.replace(/^0/, '+44'), extra: { StirVerstat: 'TN-Validation-Passed-A' } });
  await sim.dial();
  await sim.press('1');
  await sim.press(number);
  return { sim, turn: await sim.press('1') };
}

test('a push the SMSC refuses permanently: the caller is told it was not sent', async () => {
  const { sim, turn } = await holdFor('07400333999');
  assert.equal(turn.says[1], 'Please hold while we send the settings to your phone.');
  assert.match(turn.says.at(-1)!, /^Sorry, we could not deliver the settings\./);
  assert.ok(turn.hungUp);
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'failed');
});

test('no delivery receipt within the flow timeout: "on its way", then the PIN menu', async () => {
  const started = Date.now();
  const { sim, turn } = await holdFor('07400333111');
  assert.ok(Date.now() - started >= 2_000, 'held for the timeout');
  assert.equal(turn.says.at(-2), 'The settings are on their way and should arrive within a few minutes.');
  assert.match(turn.says.at(-1)!, /^Open the message with the settings and enter your PIN/);
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'submitted');
});
