import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { redisAnswers } from '../../src/dev/redis.js';
import { RUN_MARKER, spawnChild } from '../helpers/children.js';
import { repoRoot } from '../helpers/paths.js';

// A test that fails, times out or is killed leaves no process behind: the run's straggler sweep
// (src/tooling/stragglers.mjs, used by `npm test`) and the helpers' own cleanup (children.ts).

interface Stragglers {
  findStragglers(runId: string): Array<{ pid: number; command: string }>;
  killStragglers(runId: string): Promise<Array<{ pid: number; command: string }>>;
}
const sweep = (await import(pathToFileURL(join(repoRoot, 'src', 'tooling', 'stragglers.mjs')).href)) as Stragglers;

/** Alive = exists and is not a zombie (an exited child its new parent has not reaped yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Runs test/fixtures/leaks/leaky.ts in a child `node --test`, as `npm test` runs a file. */
async function runLeakyFile(mode: 'fail' | 'timeout' | 'sigkill', o: { timeoutMs?: number; pdeathsig?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-leak-'));
  // A run of its own, not a subtest of this file's run (which node:test tells by NODE_TEST_CONTEXT).
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const runId = `leak-${randomBytes(6).toString('hex')}`;
  const run = spawnChild(
    process.execPath,
    [
      '--test',
      `--test-timeout=${o.timeoutMs ?? 60_000}`,
      join(repoRoot, 'dist', 'test', 'fixtures', 'leaks', 'leaky.js'),
    ],
    {
      env: {
        ...env,
        LEAK_MODE: mode,
        LEAK_REPORT: join(dir, 'report.json'),
        [RUN_MARKER]: runId,
        BOOTLINE_TEST_PDEATHSIG: o.pdeathsig === false ? '0' : '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  run.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  run.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(run, 'exit')) as [number | null];
  try {
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { redisPort: number; pids: number[] };
    return { code, out, runId, report };
  } catch {
    throw new Error(`the fixture did not start its processes (exit ${code}):\n${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function assertNothingLeft(r: Awaited<ReturnType<typeof runLeakyFile>>) {
  try {
    assert.notEqual(r.code, 0, 'the file failed, as it should');
    // SIGKILL is delivered but a dying process may take a moment to go; then nothing may remain.
    const end = Date.now() + 5_000;
    while (r.report.pids.some(alive) && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(r.report.pids.filter(alive), [], `redis-server and worker are gone\n${r.out}`);
    assert.equal(await redisAnswers('127.0.0.1', r.report.redisPort), false, 'the private Redis port is closed');
    assert.deepEqual(sweep.findStragglers(r.runId), [], 'no process of the run is alive');
  } finally {
    await sweep.killStragglers(r.runId);
  }
}

test('a failing test leaves no process: its worker and private Redis are killed when the file ends', async () => {
  const r = await runLeakyFile('fail');
  assert.match(r.out, /fails on purpose/);
  assert.doesNotMatch(r.out, /timed out/, 'the file ended at once: nothing kept it waiting for the runner to kill it');
  await assertNothingLeft(r);
});

test('a test file that outruns --test-timeout is stopped by the runner (SIGTERM) and leaves no process', async () => {
  // Without the kernel's parent-death signal: the file's own SIGTERM handler kills its children.
  const r = await runLeakyFile('timeout', { timeoutMs: 15_000, pdeathsig: false });
  assert.match(r.out, /timed out after 15000ms/);
  await assertNothingLeft(r);
});

test('a test process killed outright (SIGKILL) takes its worker and private Redis with it', async () => {
  const r = await runLeakyFile('sigkill');
  await assertNothingLeft(r);
});

test('npm test finds and kills a process of its run that escaped every helper', async () => {
  const runId = `sweep-${randomBytes(6).toString('hex')}`;
  // Detached, not through the helpers: only the run's marker says where it came from.
  const escaped = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    env: { ...process.env, [RUN_MARKER]: runId },
    detached: true,
    stdio: 'ignore',
  });
  const exited = once(escaped, 'exit');
  try {
    await once(escaped, 'spawn');
    const found = sweep.findStragglers(runId);
    assert.deepEqual(
      found.map((p) => p.pid),
      [escaped.pid],
    );
    assert.match(found[0]!.command, /setInterval/);
    await sweep.killStragglers(runId);
    assert.deepEqual(await exited, [null, 'SIGKILL']);
    assert.deepEqual(sweep.findStragglers(runId), []);
  } finally {
    escaped.kill('SIGKILL');
  }
});
