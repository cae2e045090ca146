import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { flowsCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

// `bootline flows test` over the shipped flows is part of `npm test` (and so of .ci/run): every
// branch of the default flow, through the real engine, a private Redis, the push workers and
// the dev SMSC. A broken flow or a wrong expectation fails the run with a readable reason.

test('bootline flows test: every shipped flow test passes on the shipped flows', async () => {
  const run = await flowsCli(['test']);
  assert.equal(run.code, 0, run.out + run.err);
  const cases = (
    parse(readFileSync(join(repoRoot, 'voice-flows', 'tests', 'bootstrap.yaml'), 'utf8')) as {
      tests: Array<{ name: string; handset?: string }>;
    }
  ).tests;
  assert.ok(cases.length >= 10);
  // The handset's answers after delivery: each branch of the default flow's wait-for-enrolment.
  const byHandset = (h: string) => cases.filter((c) => c.handset === h).map((c) => c.name);
  for (const h of ['enrolled', 'auth-failed', 'not-enrolled']) assert.ok(byHandset(h).length > 0, `a case with ${h}`);
  for (const c of cases)
    assert.match(run.out, new RegExp(`^ {2}pass {2}${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
  assert.match(run.out, new RegExp(`^${cases.length} passed, 0 failed$`, 'm'));
});

test('bootline flows test: a flow that no longer does what its tests say fails with the reason, exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-flowtests-'));
  try {
    cpSync(join(repoRoot, 'voice-flows'), dir, { recursive: true, filter: (f) => !f.includes('.history') });
    // The operator "simplifies" the flow: the read-back no longer asks to confirm with 1.
    const flow = readFileSync(join(dir, 'bootstrap.yaml'), 'utf8');
    writeFileSync(join(dir, 'bootstrap.yaml'), flow.replace('If that is correct, press 1.', 'Is that right?'));
    const run = await flowsCli(['test', 'tests/bootstrap.yaml'], { env: { FLOWS_DIR: dir }, cwd: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.out,
      /^ {2}FAIL {2}English caller sets up a phone; the push is delivered .*\n {10}script step 5 \(hear\): expected to hear "If that is correct, press 1\."/m,
    );
    assert.match(run.out, /^\d+ passed, [1-9]\d* failed$/m);

    writeFileSync(
      join(dir, 'tests', 'bad.yaml'),
      'flow: bootstrap\ntests:\n  - name: x\n    script: [{ pres: "1" }]\n',
    );
    const bad = await flowsCli(['test', 'tests/bad.yaml'], { env: { FLOWS_DIR: dir }, cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.err, /tests\/bad\.yaml: tests\.0\.script\.0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
