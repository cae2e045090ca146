import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/dm/signature.js';
import { KEYS } from '../../src/platform/redis/keys.js';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { DM_SECRET, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// The caller hears the enrolment: the default flow holds the caller after the receipt until
// the DM server reports the handset's session (connected), its authentication failure (an
// agent), or nothing (the PIN again, then an agent).
const PREFIX = '{t-enrol-flow}';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  // The waits of the default flow, shortened for the test.
  const text = readFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), 'utf8').replaceAll(
    '    timeout: 90\n',
    '    timeout: 3\n',
  );
  worker = await workerStack(redis.url, {
    prefix: PREFIX,
    config: { lifecycle: { enrolmentWindowS: 600, events: { source: null, subscribers: [] } } },
  });
  web = webStack(redis.url, {
    prefix: PREFIX,
    flows: FlowRegistry.of(parseFlow('bootstrap.yaml', text)),
    env: { DM_REGISTER_URL: worker.dm.url, DM_REGISTER_SECRET: DM_SECRET, ENROLMENT_WINDOW_S: '600' },
  });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

/** The DM server reporting a session of the bootstrap's device, once the caller is waiting for it. */
async function dmReports(id: string, event: 'session-started' | 'auth-failed'): Promise<void> {
  const callSid = id.slice('bs-'.length);
  await waitFor(
    'the caller waiting for the enrolment',
    async () => JSON.parse((await web.redis.get(KEYS.call(callSid))) ?? '{}').step === 'enrolment',
    20_000,
  );
  await signal(id, event);
}

/** The DM server's signed signal about the bootstrap's device (its credentials are registered by then). */
async function signal(id: string, event: 'session-started' | 'auth-failed'): Promise<void> {
  await waitFor('the DM registration', () => worker.dm.registrations.get(id), 20_000);
  const clientName = worker.dm.registrations.get(id)!.appAuth[0]!.AAUTHNAME;
  const body = JSON.stringify({
    serverId: 'com.example.dm',
    clientName,
    event,
    at: new Date().toISOString(),
    ...(event === 'auth-failed' ? { cause: 'bad-digest' } : {}),
  });
  const ts = Math.floor(Date.now() / 1000);
  const res = await request(web.app)
    .post('/api/dm/sessions')
    .set({ 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts) })
    .set(SIGNATURE_HEADER, signBody(DM_SECRET, ts, body))
    .send(body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** An attested caller typing their own number: straight to the PIN and the push. */
function caller(number: string) {
  return web.sim({ from: number.replace(/^0/, '+44'), extra: { StirVerstat: 'TN-Validation-Passed-A' } });
}

async function confirmWhile(number: string, dm: (id: string) => Promise<void>) {
  const sim = caller(number);
  await sim.dial();
  await sim.press('1');
  await sim.press(number);
  const [turn] = await Promise.all([sim.press('1'), dm(`bs-${sim.callSid}`)]);
  return { sim, turn };
}

test('the handset connects: the caller hears so, then goodbye', async () => {
  const { sim, turn } = await confirmWhile('07400444001', (id) => dmReports(id, 'session-started'));
  assert.ok(turn.says.includes('The settings have been sent to your phone.'));
  assert.ok(turn.says.some((s) => /^Open the message with the settings on your phone and enter your PIN/.test(s)));
  assert.ok(turn.says.includes('Your phone has connected to device management. It is ready to use.'));
  assert.equal(turn.says.at(-1), 'Thank you for calling. Goodbye.');
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'enrolled');
});

test('the DM server refuses the handset: the caller is told and goes to an agent', async () => {
  const { turn } = await confirmWhile('07400444002', (id) => dmReports(id, 'auth-failed'));
  assert.ok(turn.says.includes('Sorry, your phone could not sign in to device management.'));
  assert.equal(turn.says.at(-1), 'Please hold while we connect you to an agent.');
});

test('no session in time: the PIN again on 1, a second wait, then an agent', async () => {
  const { sim, turn } = await confirmWhile('07400444003', async () => undefined);
  assert.match(turn.says.at(-1)!, /^Your phone has not connected yet\. To hear your PIN again, press 1/);
  const again = await sim.press('1');
  assert.match(again.says[0]!, /^Your PIN is [\d ,]+\.$/);
  assert.equal(again.says.at(-1), 'Please hold while we connect you to an agent.', 'still nothing: an agent');
  assert.equal((await web.store.get(`bs-${sim.callSid}`))?.status, 'delivered', 'the window is still open');
});

test('a handset refused before the caller hears the delivery: the push reached it, so the caller hears the refusal', async () => {
  // The handset is quicker than the caller's poll: the DM server's auth-failed arrives while the
  // caller still holds in wait-for-delivery. The push was delivered (the handset used it).
  const sim = web.sim({
    from: '+447400444004',
    extra: { StirVerstat: 'TN-Validation-Passed-A' },
    maxRedirects: 0,
  });
  await sim.dial();
  await sim.press('1');
  await sim.press('07400444004');
  const held = await sim.press('1');
  assert.ok(held.redirect, 'holding in wait-for-delivery');
  const id = `bs-${sim.callSid}`;
  await signal(id, 'auth-failed');
  assert.equal((await web.store.stateAndCause(id))?.cause, 'DM_AUTH_FAILED');
  let turn = await sim.resume();
  const heard = [...turn.says];
  while (turn.redirect) heard.push(...(turn = await sim.resume()).says);
  assert.ok(heard.includes('Sorry, your phone could not sign in to device management.'), heard.join('\n'));
  assert.ok(!heard.some((h) => h.startsWith('Sorry, we could not deliver the settings')), heard.join('\n'));
});
