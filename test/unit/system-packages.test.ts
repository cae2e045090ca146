// The one place that sets up Debian packages for `npm start` and `npm test`, with stand-ins for
// apt-get on a PATH that has nothing else: installed as root with apt-get, else the exact command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim();
const [sh, chmod] = [which('sh'), which('chmod')];

/** A PATH of one folder holding `sh` and, if asked, an apt-get that "installs" by creating the binary. */
function box(withAptGet: boolean) {
  const bin = mkdtempSync(join(tmpdir(), 'bootline-apt-'));
  symlinkSync(sh, join(bin, 'sh'));
  const log = join(bin, 'apt.log');
  if (withAptGet) {
    writeFileSync(
      join(bin, 'apt-get'),
      `#!${sh}\necho "$DEBIAN_FRONTEND apt-get $*" >> ${log}\n` +
        `if [ "$1" = install ]; then printf '#!${sh}\\n' > ${bin}/redis-server; ${chmod} +x ${bin}/redis-server; fi\n`,
    );
    chmodSync(join(bin, 'apt-get'), 0o755);
  }
  return { bin, log, env: { PATH: bin } };
}

async function setUp(env: Record<string, string>, uid: number) {
  const { ensureDebianPackages } = (await import(join(repoRoot, 'src', 'tooling', 'system-packages.mjs'))) as {
    ensureDebianPackages: (t: Record<string, string>, o: object) => string[];
  };
  return ensureDebianPackages({ 'redis-server': 'redis-server' }, { purpose: 'npm start', env, uid });
}

test('as root with apt-get, a missing package is installed (non-interactively) and then found', async () => {
  const b = box(true);
  try {
    assert.deepEqual(await setUp(b.env, 0), []);
    const calls = readFileSync(b.log, 'utf8');
    assert.match(calls, /^noninteractive apt-get update -qq$/m);
    assert.match(calls, /^noninteractive apt-get install -y -qq redis-server$/m);
    assert.deepEqual(await setUp(b.env, 0), [], 'there now: nothing to do');
    assert.equal(readFileSync(b.log, 'utf8'), calls, 'apt-get not run again');
  } finally {
    rmSync(b.bin, { recursive: true, force: true });
  }
});

test('not root, or no apt-get: nothing is installed and the exact command is printed', () => {
  const module = join(repoRoot, 'src', 'tooling', 'system-packages.mjs');
  for (const [withApt, uid] of [
    [true, 1000],
    [false, 0],
  ] as const) {
    const b = box(withApt);
    try {
      const script =
        `import { ensureDebianPackages } from ${JSON.stringify(module)};\n` +
        `const left = ensureDebianPackages({ 'redis-server': 'redis-server' }, ` +
        `{ purpose: 'npm start', env: { PATH: ${JSON.stringify(b.bin)} }, uid: ${uid} });\n` +
        'process.exit(left.length);';
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stderr,
        /npm start needs these Debian packages: redis-server\n {2}sudo apt-get install -y redis-server/,
      );
      assert.throws(() => readFileSync(b.log), 'apt-get never ran');
    } finally {
      rmSync(b.bin, { recursive: true, force: true });
    }
  }
});
