import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';
import type { CallSimulator } from '../../src/console/simulator/call.js';
import { devSmscInbox } from '../../src/dev/smsc/inbox.js';
import type { Flow } from '../../src/voice/flow.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { watchFlows, type FlowWatcher } from '../../src/voice/watch.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';
import { webStack, type WebStack } from '../helpers/stack.js';
import { workerStack, type WorkerStack } from '../helpers/worker-stack.js';

// Operators edit flow files while calls are in progress: new calls get the new version,
// calls in progress finish on theirs (on any web process), an invalid edit changes nothing.
const original = readFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), 'utf8');
const OLD_SENT = 'We have sent a text message with a 6-digit code to that phone.';
const NEW_SENT = 'A code is on its way to that phone by text message.';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let worker: WorkerStack;
let web: WebStack;
let watcher: FlowWatcher;
let dir: string;
const logs: string[] = [];

/** Saves like an editor does: write a temp file, rename it over the original. */
function save(text: string): void {
  writeFileSync(join(dir, '.bootstrap.yaml.tmp'), text);
  renameSync(join(dir, '.bootstrap.yaml.tmp'), join(dir, 'bootstrap.yaml'));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bootline-reload-'));
  writeFileSync(join(dir, 'bootstrap.yaml'), original);
  redis = await startTestRedis();
  worker = await workerStack(redis.url, { prefix: '{t-reload}' });
  const logger = createLogger(
    { level: 'info', name: 'web' },
    {
      write: (line: string) => {
        logs.push(line);
      },
    },
  );
  const flows = FlowRegistry.fromDirectory(dir);
  web = webStack(redis.url, { prefix: '{t-reload}', flows, logger });
  watcher = watchFlows(dir, flows, logger, 50);
  await web.ready();
});
after(async () => {
  watcher.close();
  await worker.close();
  await web.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function toConfirm(w: WebStack, number: string): Promise<CallSimulator> {
  const sim = w.sim({ inbox: devSmscInbox(worker.smsc) });
  await sim.dial();
  await sim.press('1');
  await sim.press(number);
  return sim;
}

test('an edit mid-call: the call finishes on its version, new calls get the new one', async () => {
  const before = web.flows.get('bootstrap').revision;
  const inProgress = await toConfirm(web, '07400222111');

  const reloaded = once(watcher, 'reloaded') as Promise<[Flow]>;
  save(original.replace('version: 2', 'version: 3').replace(OLD_SENT, NEW_SENT));
  const [flow] = await reloaded;
  assert.equal(flow.version, 3);
  assert.notEqual(flow.revision, before);
  assert.ok(logs.some((l) => /"msg":"flow reloaded"/.test(l) && l.includes('"version":3')));

  assert.equal((await inProgress.press('1')).says[0], OLD_SENT, 'the call in progress stays on version 2');
  const t = await inProgress.press(await inProgress.waitForCode({ to: '+447400222111' }));
  assert.match(t.says.at(-1)!, /^Open the message with the settings/);

  const fresh = await toConfirm(web, '07400222112');
  assert.equal((await fresh.press('1')).says[0], NEW_SENT, 'a new call gets version 3');
});

test('an invalid edit is refused and logged with file:line path; the last good version keeps serving', async () => {
  const rejected = once(watcher, 'rejected');
  save(
    original
      .replace('version: 2', 'version: 4')
      .replace(OLD_SENT, NEW_SENT)
      .replace('    timeout: 8\n', '    timeot: 8\n'),
  );
  const [file, problems] = (await rejected) as [string, Array<{ line: number; path: string }>];
  assert.equal(file, join(dir, 'bootstrap.yaml'));
  assert.ok(problems.some((p) => p.path === 'steps.number.timeot'));
  const line = logs.find((l) => l.includes('keeping the last good version'));
  assert.ok(line, logs.join(''));
  assert.match(line, /bootstrap\.yaml:\d+ steps\.number\.timeot: unknown key \\"timeot\\"/);
  assert.equal(web.flows.get('bootstrap').version, 3);
  const sim = await toConfirm(web, '07400222113');
  assert.equal((await sim.press('1')).says[0], NEW_SENT);
});

test('a call started on one web process finishes on its version on another that only knows a newer one', async () => {
  save(original.replace('version: 2', 'version: 5')); // valid again; web 1 loads it
  await once(watcher, 'reloaded');
  const started = await toConfirm(web, '07400222114'); // on version 5
  save(original.replace('version: 2', 'version: 6').replace(OLD_SENT, NEW_SENT));
  await once(watcher, 'reloaded');
  const other = webStack(redis.url, { prefix: '{t-reload}', flows: FlowRegistry.fromDirectory(dir) }); // restarted process: version 6 only
  await other.ready();
  try {
    assert.equal(other.flows.get('bootstrap').version, 6);
    const moved = other.sim({ callSid: started.callSid, inbox: devSmscInbox(worker.smsc) });
    const res = await moved.send(started.turn!.gather!.action, { Digits: '1' });
    assert.match(res.body, new RegExp(OLD_SENT), 'version 5, read back from the revision archive in Redis');
  } finally {
    await other.close();
  }
});
