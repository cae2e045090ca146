import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderLifecycleDoc } from '../../src/deliveries/lifecycle-doc.js';
import { allowed, FAILURE_CAUSES, STATE_NAMES, TRANSITIONS } from '../../src/deliveries/lifecycle.js';
import { repoRoot } from '../helpers/paths.js';

const RENDER =
  "node --input-type=module -e \"import('./dist/src/deliveries/lifecycle-doc.js')" +
  '.then((m) => process.stdout.write(m.renderLifecycleDoc()))" > docs/reference/lifecycle.md';

test('docs/reference/lifecycle.md is the lifecycle table as the code has it', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'reference', 'lifecycle.md'), 'utf8');
  assert.equal(doc, renderLifecycleDoc(), `docs/reference/lifecycle.md is stale; after npm run build:\n  ${RENDER}`);
});

test('the table is whole: every state reachable, every cause recorded by a transition into its state', () => {
  for (const s of STATE_NAMES) {
    if (s === 'queued') continue;
    assert.ok(
      TRANSITIONS.some((t) => t.to === s),
      `${s} is reachable`,
    );
  }
  for (const [cause, d] of Object.entries(FAILURE_CAUSES)) {
    const t = TRANSITIONS.find((x) => x.causes?.includes(cause as keyof typeof FAILURE_CAUSES));
    assert.ok(t, `${cause} is recorded by a transition`);
    assert.equal(t.to, d.state, `${cause} ends as ${d.state}`);
  }
  assert.ok(allowed('delivered', 'enrolled'));
  assert.ok(allowed('not-enrolled', 'enrolled'), 'a late session still enrols');
  assert.ok(!allowed('enrolled', 'failed'), 'an enrolled bootstrap stays enrolled');
  assert.ok(!allowed('delivered', 'queued'), 'only a failed or expired one is retried');
});
