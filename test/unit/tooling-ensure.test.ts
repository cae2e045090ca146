// The ensure step (npm start / npm test / npm run …) in a sandbox checkout: a stand-in `npm`,
// `tsc` and bundler record every run, so the test sees exactly when ensure installs or builds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const LOCK = (version: string) => ({
  name: 'sandbox',
  lockfileVersion: 3,
  packages: {
    '': { name: 'sandbox', dependencies: { left: '^1.0.0' } },
    'node_modules/left': { version, resolved: 'https://example.invalid/left.tgz' },
    // Another platform's binary: npm leaves it out, and that is no reason to install again.
    'node_modules/@x/other-arch': { version: '1.0.0', optional: true },
  },
});

/** A checkout with ensure.mjs, a lock, npm's record of what it installed, and recording stand-ins. */
function sandbox(installed: string | null) {
  const root = mkdtempSync(join(tmpdir(), 'bootline-ensure-'));
  const log = join(root, 'calls.log');
  const record = (name: string) =>
    `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' ' + process.argv.slice(2).join(' ') + '\\n');\n`;
  for (const d of ['src/tooling', 'test', 'bin', 'dist', 'node_modules/typescript/bin', 'voice-flows'])
    mkdirSync(join(root, d), { recursive: true });
  copyFileSync(join(repoRoot, 'src', 'tooling', 'ensure.mjs'), join(root, 'src', 'tooling', 'ensure.mjs'));
  writeFileSync(
    join(root, 'src', 'tooling', 'bundle.mjs'),
    record('bundle').replace(
      /^#!.*\n/,
      "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n",
    ),
  );
  writeFileSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'), record('tsc').replace(/^#!.*\n/, ''));
  // `npm ci` as a different npm would: installs, records it, and rewrites the lock's formatting.
  const npm =
    record('npm') +
    `const fs = require('fs'); const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));\n` +
    `const packages = Object.fromEntries(Object.entries(lock.packages).filter(([k, p]) => k !== '' && !p.optional));\n` +
    `fs.writeFileSync('node_modules/.package-lock.json', JSON.stringify({ packages }));\n` +
    `fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 4));\n`;
  writeFileSync(join(root, 'bin', 'npm'), npm);
  chmodSync(join(root, 'bin', 'npm'), 0o755);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'sandbox', dependencies: { left: '^1.0.0' } }));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify(LOCK('1.2.0'), null, 2));
  writeFileSync(join(root, 'tsconfig.json'), '{}');
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  if (installed)
    writeFileSync(
      join(root, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/left': { version: installed } } }),
    );
  const ensure = () => {
    rmSync(log, { force: true });
    const r = spawnSync(process.execPath, [join(root, 'src', 'tooling', 'ensure.mjs')], {
      cwd: root,
      env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ')[0])
      : [];
  };
  return { root, ensure };
}

test('after `npm ci` by hand, ensure installs nothing: npm record of what it installed matches the lock', () => {
  const s = sandbox('1.2.0');
  try {
    assert.deepEqual(s.ensure(), ['tsc', 'bundle'], 'first run: builds, does not install');
    assert.deepEqual(s.ensure(), [], 'unchanged tree: neither installs nor builds');
  } finally {
    rmSync(s.root, { recursive: true, force: true });
  }
});

test('ensure installs when node_modules is missing or behind the lock, once, even if npm rewrites the lock', () => {
  const s = sandbox(null);
  try {
    assert.deepEqual(s.ensure(), ['npm', 'tsc', 'bundle']);
    assert.deepEqual(s.ensure(), [], 'the stamp is of the lock as npm left it: no second install');
    writeFileSync(join(s.root, 'package-lock.json'), JSON.stringify(LOCK('1.3.0')));
    assert.deepEqual(s.ensure(), ['npm', 'tsc', 'bundle'], 'a new version in the lock: install');
    writeFileSync(
      join(s.root, 'package.json'),
      JSON.stringify({ name: 'sandbox', dependencies: { left: '^1.0.0', right: '^2.0.0' } }),
    );
    assert.deepEqual(s.ensure()[0], 'npm', 'a dependency npm has not installed yet: install');
    writeFileSync(join(s.root, 'src', 'a.ts'), 'export const a = 2;\n');
    assert.deepEqual(s.ensure(), ['tsc', 'bundle'], 'a source change: build only');
  } finally {
    rmSync(s.root, { recursive: true, force: true });
  }
});
