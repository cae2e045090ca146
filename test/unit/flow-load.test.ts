import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBootlineError } from '../../src/errors.js';
import { parseFlow, type FlowProblem } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { repoRoot } from '../helpers/paths.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'flows');

test('the shipped flows load', () => {
  const reg = FlowRegistry.fromDirectory(join(repoRoot, 'voice-flows'));
  const flow = reg.get('bootstrap');
  assert.equal(flow.start, 'welcome');
  assert.equal(flow.steps.number?.type, 'gather-number');
  assert.match(flow.revision, /^[0-9a-f]{16}$/);
});

for (const name of readdirSync(join(fixtures, 'good'))) {
  test(`good flow fixture ${name} loads`, () => {
    parseFlow(name, readFileSync(join(fixtures, 'good', name), 'utf8'));
  });
}

// Each bad fixture starts with "# expect: line N path: message-prefix" — one file per case.
for (const name of readdirSync(join(fixtures, 'bad'))) {
  test(`bad flow fixture ${name} is refused with file, line and path`, () => {
    const text = readFileSync(join(fixtures, 'bad', name), 'utf8');
    const m = /^# expect: line (\d+) ([^:]*): ?(.*)$/m.exec(text);
    assert.ok(m, 'fixture needs an "# expect:" header');
    const [, line, path, message] = m;
    try {
      parseFlow(name, text);
      assert.fail('flow should be refused');
    } catch (err) {
      assert.ok(isBootlineError(err, 'FLOW_INVALID'), String(err));
      const problems = err.details.problems as FlowProblem[];
      const hit = problems.find((p) => p.line === Number(line) && p.path === path && p.message.startsWith(message!));
      assert.ok(hit, `expected ${name}:${line} ${path}: ${message}…, got ${JSON.stringify(problems)}`);
      assert.equal(hit.file, name);
      assert.match(err.message, new RegExp(`${name}:${line}`));
    }
  });
}
