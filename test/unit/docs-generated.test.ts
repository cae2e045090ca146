import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderConfigurationDoc } from '../../src/config/doc.js';
import { ENV_SCHEMA } from '../../src/config/schema.js';
import { STEP_MODULES } from '../../src/voice/steps/registry.js';
import { renderFlowStepsDoc } from '../../src/voice/steps-doc.js';
import { repoRoot } from '../helpers/paths.js';

const read = (page: string) => readFileSync(join(repoRoot, 'docs', 'reference', page), 'utf8');
const STALE = (page: string) => `docs/reference/${page} is stale; render it with: npm run docs`;

test('docs/reference/configuration.md is ENV_SCHEMA as the code has it', () => {
  assert.equal(read('configuration.md'), renderConfigurationDoc(), STALE('configuration.md'));
});

test('every setting has a description and a row of its own', () => {
  const doc = read('configuration.md');
  for (const [name, schema] of Object.entries(ENV_SCHEMA.shape)) {
    assert.ok(schema.description, `${name} has a .describe() text`);
    assert.match(doc, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} has a row`);
  }
});

test('docs/reference/flow-steps.md is the flow and step schemas as the code has them', () => {
  assert.equal(read('flow-steps.md'), renderFlowStepsDoc(), STALE('flow-steps.md'));
});

test('every registered step type has a section and a summary', () => {
  const doc = read('flow-steps.md');
  for (const [type, m] of STEP_MODULES) {
    assert.ok(m.schema.description, `${type} has a summary (.describe() on its schema)`);
    assert.ok(doc.includes(`### \`${type}\`\n\n${m.schema.description}`), `${type} has its section`);
  }
});
