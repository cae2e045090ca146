#!/usr/bin/env node
// `npm test`: runs `npm run lint`, then every test/**/*.test.ts (compiled to dist/ by the pretest
// step) with Node's own test runner. Tests start their own private Redis and SMSC; this script
// makes sure the system tools they call exist, installing Debian packages when it can
// (root with apt-get, as on CI and a fresh Debian box) and otherwise saying what to install, and
// afterwards that no process the tests started is still running.
// Pass file-name filters to run a subset: `npm test -- codec wbxml`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killStragglers, RUN_MARKER } from './stragglers.mjs';
import { ensureDebianPackages } from './system-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian package → a binary it provides that the tests call. */
const SYSTEM_TOOLS = {
  'redis-server': 'redis-server',
  'libwbxml2-utils': 'wbxml2xml',
  tshark: 'tshark',
  chromium: 'chromium',
};

ensureDebianPackages(SYSTEM_TOOLS, { purpose: 'the tests' });

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
// The whole suite starts with the static checks (format, lint, layering, line width): a change
// that fails them is refused before three minutes of tests. A filtered run skips them.
if (filters.length === 0) {
  const lint = spawnSync(process.execPath, [join(root, 'src', 'tooling', 'lint.mjs')], { cwd: root, stdio: 'inherit' });
  if (lint.status !== 0) process.exit(lint.status ?? 1);
}
// test/cluster/ (a Redis Cluster and several processes, ~30 s of a whole box) runs on its own
// with `npm run test:cluster`, not beside the rest: it only runs when a filter names it.
const CLUSTER_DIR = join(root, 'test', 'cluster');
const files = findTests(join(root, 'test'))
  .filter((f) => (filters.length === 0 ? !f.startsWith(CLUSTER_DIR) : filters.some((x) => f.includes(x))))
  // Run the compiled file whose source still exists (dist/ may hold stale outputs).
  .map((f) => join(root, 'dist', relative(root, f)).replace(/\.ts$/, '.js'))
  .filter((f) => existsSync(f));

if (files.length === 0) {
  console.error('bootline: no test files matched');
  process.exit(1);
}

// Every process of this run carries RUN_MARKER=runId (test/helpers/children.ts passes it on), so
// whatever a test left running is found and killed when the runner has exited, and the run fails.
const runId = `${process.pid}-${randomBytes(6).toString('hex')}`;
// Node's --test-timeout bounds each test and also each whole file. The slowest file (20 worker
// restarts) takes over a minute on an idle 2-core box and several times that beside another run:
// the bound is generous, tests wait for conditions, and a hung file still ends (and is killed).
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS) || 300_000;
const runner = spawn(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    `--test-timeout=${timeoutMs}`,
    ...files,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test', [RUN_MARKER]: runId },
  },
);
// Ctrl-C or a CI cancel: the runner stops its test files (which kill their children), then the sweep below runs.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => runner.kill(signal));
const [code] = await once(runner, 'exit');
const stragglers = await killStragglers(runId);
if (stragglers.length > 0) {
  console.error(`bootline: ${stragglers.length} process(es) started by the tests outlived the run; killed:`);
  for (const { pid, command } of stragglers) console.error(`  ${pid} ${command}`);
}
process.exit(stragglers.length === 0 && code === 0 ? 0 : code || 1);
