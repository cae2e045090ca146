#!/usr/bin/env node
// Runs before `npm start`, `npm test`, `npm run bench` and the CLI scripts: makes the checkout
// runnable with nothing but Node 20 and npm. It (1) installs npm dependencies when
// node_modules does not hold what package.json / package-lock.json ask for, and (2) compiles
// the TypeScript and bundles the console script when a file they read changed. On an unchanged
// tree it only hashes two files and stats the sources: about as long as Node takes to start.
// Plain JavaScript with no dependencies on purpose: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamp = join(root, 'node_modules', '.bootline-deps');

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`bootline: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

function depsFingerprint() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    if (existsSync(join(root, f))) h.update(readFileSync(join(root, f)));
  }
  return h.digest('hex');
}

/**
 * Whether node_modules already holds what package-lock.json asks for, by npm's own record of
 * what it installed (node_modules/.package-lock.json, written by `npm ci` and `npm install`):
 * a developer who ran `npm ci` by hand has nothing left to install. Every package the lock
 * names is there at its version; optional ones (another platform's binaries) may be absent.
 */
function installedPerLock() {
  const read = (f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')).packages ?? {};
    } catch {
      return null;
    }
  };
  const locked = read(join(root, 'package-lock.json'));
  const installed = read(join(root, 'node_modules', '.package-lock.json'));
  if (!locked || !installed) return false;
  // A dependency added to package.json but not yet to the lock: npm has work to do.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const wanted = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  if (!wanted.every((name) => installed[`node_modules/${name}`])) return false;
  return Object.entries(locked).every(([path, p]) => {
    if (!path.startsWith('node_modules/')) return true;
    const have = installed[path];
    return have ? have.version === p.version : p.optional === true;
  });
}

const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (depsFingerprint() !== have) {
  if (!installedPerLock()) {
    console.error('bootline: installing npm dependencies (node_modules missing or stale)…');
    const ci = existsSync(join(root, 'package-lock.json'))
      ? ['ci', '--no-audit', '--no-fund']
      : ['install', '--no-audit', '--no-fund'];
    run('npm', ci);
  }
  // The fingerprint of the files as they are now: an npm that rewrites package-lock.json while
  // installing (another npm version, a lock written by `npm install`) must not look stale next time.
  writeFileSync(stamp, depsFingerprint() + '\n');
}

/** What the build reads: every file under src/ and test/, the TypeScript config, the lock file and the flow schema. */
function buildFingerprint() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'test'));
  for (const f of ['tsconfig.json', 'package-lock.json', 'voice-flows/flow.schema.json']) {
    const st = statSync(join(root, f), { throwIfNoEntry: false });
    if (st) h.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

const buildStamp = join(root, 'dist', '.bootline-build');
const built = buildFingerprint();
if (!existsSync(buildStamp) || readFileSync(buildStamp, 'utf8').trim() !== built) {
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')]);
  // The console's browser script (CodeMirror, diagram pan/zoom): esbuild, skipped when up to date.
  run(process.execPath, [join(root, 'src', 'tooling', 'bundle.mjs')]);
  writeFileSync(buildStamp, built + '\n');
}
