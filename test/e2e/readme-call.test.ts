// The README's scripted call, exactly as written, against `npm start`'s entrypoint: a newcomer who
// copies it hears a PIN and gets the push delivered. A wrong key list in the README fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { freePort } from '../../src/dev/redis.js';
import { repoRoot } from '../helpers/paths.js';
import { runNode } from '../helpers/proc.js';

/** The one `npm run call -- --keys …` line of the README's shell blocks, split as a shell would (no quoting in it). */
function readmeCall(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((b) => b[1]!.split('\n'));
  const calls = lines.filter((l) => l.startsWith('npm run call -- --keys'));
  assert.equal(calls.length, 1, 'the README has one scripted call');
  const line = calls[0]!.replace(/\s+#.*$/, '').trim();
  assert.doesNotMatch(line, /["'$`\\]/, 'the command needs no shell quoting');
  const [npm, run, script, dashes, ...args] = line.split(/\s+/);
  assert.deepEqual([npm, run, script, dashes], ['npm', 'run', 'call', '--']);
  // `npm run call -- ARGS` runs the package's call script with ARGS appended: bootline's CLI, `call` command.
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.call ?? '', /src\/cli\/main\.js call$/);
  return args;
}

test("the README's scripted call, as written, hears a PIN and gets the push delivered", async () => {
  const args = readmeCall();
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-readme-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  const stack = runNode('src/main/dev-stack.js', {
    PORT: String(port),
    DEV_REDIS_PORT: String(redisPort),
    BOOTLINE_DATA_DIR: dataDir,
  });
  try {
    await stack.waitFor(/web listening/, 60_000);
    await stack.waitFor(/smpp bound/, 30_000);
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    // What a newcomer's second terminal has: npm run call → bootline call with these arguments. The
    // environment only says where this test's stack runs (its port, its private Redis, its .data/).
    const code = await main(['call', ...args], {
      stdin: new PassThrough(),
      stdout: out,
      stderr: out,
      env: { PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}`, BOOTLINE_DATA_DIR: dataDir },
      cwd: dataDir,
    });
    assert.equal(code, 0, printed);
    assert.match(printed, /Your PIN is \d \d \d, \d \d \d\./, printed);
    assert.match(printed, /PIN accepted, DM account bootline-dev stored, connected to device management/, printed);

    const callSid = printed.match(/\b(CA[0-9a-f]{32})\b/)?.[1];
    assert.ok(callSid, 'the CLI names its call');
    const token = readFileSync(join(dataDir, 'dev-api-token'), 'utf8').trim();
    // Receipts may still be on their way when the caller hangs up: read the timeline until they are in.
    let events: string[] = [];
    for (let tries = 0; tries < 50; tries++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/bootstraps/bs-${callSid}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      events = ((await res.json()) as { timeline: Array<{ event: string }> }).timeline.map((e) => e.event);
      const delivered = events.filter((e) => e === 'segment-delivered').length;
      if (delivered > 0 && delivered === events.filter((e) => e === 'segment-submitted').length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const count = (name: string) => events.filter((e) => e === name).length;
    assert.ok(count('segment-submitted') > 0, `segments were submitted: ${events.join(', ')}`);
    assert.equal(count('segment-delivered'), count('segment-submitted'), `every segment delivered: ${events}`);
    assert.ok(events.includes('delivered') || events.includes('enrolled'), `the push reached the handset: ${events}`);

    stack.child.kill('SIGTERM');
    assert.equal((await stack.exit(20_000)).code, 0);
  } finally {
    stack.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
