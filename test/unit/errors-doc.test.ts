import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

test('the README error table matches the catalogue exactly', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\w+) \| (.+) \|$/gm)].map((m) => [
    m[1],
    { http: Number(m[2]), retry: m[3], summary: m[4] },
  ]);
  assert.deepEqual(Object.fromEntries(rows), ERROR_CATALOGUE);
});
