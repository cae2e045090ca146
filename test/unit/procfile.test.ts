import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { procfileNodeArgs } from '../../src/main/procfile.js';

test('the Procfile flags of web and worker are real node/V8 flags (a typo would stop the process at deploy)', () => {
  for (const name of ['web', 'worker'] as const) {
    const args = procfileNodeArgs(name);
    assert.ok(args.includes('--enable-source-maps'), `${name}: ${args.join(' ')}`);
    const run = spawnSync(process.execPath, [...args, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${name}: node ${args.join(' ')} → ${run.stderr}`);
  }
});

test('the web keeps its heap small: semi-space and heap growth flags as docs/performance.md says', () => {
  const args = procfileNodeArgs('web');
  assert.ok(
    args.some((a) => a.startsWith('--max-semi-space-size=')),
    args.join(' '),
  );
  assert.ok(
    args.some((a) => a.startsWith('--heap-growing-percent=')),
    args.join(' '),
  );
});

test('a Procfile without the process type is refused by name', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'procfile-')), 'Procfile');
  writeFileSync(file, 'worker: node --enable-source-maps dist/src/main/worker.js\n');
  assert.throws(() => procfileNodeArgs('web', file), /no "web:" line/);
  assert.deepEqual(procfileNodeArgs('worker', file), ['--enable-source-maps']);
});
