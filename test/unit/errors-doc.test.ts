import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderErrorsDoc } from '../../src/errors-doc.js';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const doc = () => readFileSync(join(repoRoot, 'docs', 'reference', 'errors.md'), 'utf8');

test('docs/reference/errors.md is the error catalogue as the code has it', () => {
  assert.equal(doc(), renderErrorsDoc(), 'docs/reference/errors.md is stale; render it with: npm run docs');
});

test('the error table lists every code of the catalogue exactly once, with its status and retry class', () => {
  const rows = [...doc().matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\w+) \| (.+) \|$/gm)].map((m) => [
    m[1],
    { http: Number(m[2]), retry: m[3], summary: m[4]!.replace(/\\\|/g, '|') },
  ]);
  assert.equal(rows.length, Object.keys(ERROR_CATALOGUE).length);
  assert.deepEqual(Object.fromEntries(rows), ERROR_CATALOGUE);
});
