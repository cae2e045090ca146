import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RevisionStore } from '../../src/console/flows/store.js';
import { isBootlineError } from '../../src/errors.js';

// The revision store's lock is shared by every process using FLOWS_DIR: a held lock makes a
// second writer give up with FLOW_CONFLICT; one left behind by a dead process is taken over.
test('flow lock: held → FLOW_CONFLICT after a bounded wait; stale → taken over; released after use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-store-'));
  try {
    const store = new RevisionStore(dir);
    const lock = join(dir, '.history', 'bootstrap', '.lock');
    mkdirSync(lock, { recursive: true });
    const t0 = Date.now();
    assert.throws(
      () => store.locked('bootstrap', () => 1),
      (e) => isBootlineError(e, 'FLOW_CONFLICT'),
    );
    assert.ok(Date.now() - t0 >= 900, 'it waited for the holder');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    assert.equal(
      store.locked('bootstrap', () => 42),
      42,
      'a stale lock is taken over',
    );
    assert.equal(
      store.locked('bootstrap', () => 43),
      43,
      'and released after use',
    );

    const rec = store.append('bootstrap', 'text one', {
      revision: '0123456789abcdef',
      version: 1,
      kind: 'initial',
      author: { name: 'a', role: 'r' },
      at: 'now',
      message: 'm',
      parent: null,
      added: 1,
      removed: 0,
    });
    assert.equal(rec.n, 1);
    assert.equal(store.text('bootstrap', '0123456789abcdef'), 'text one');
    assert.equal(store.text('bootstrap', '../../etc/passwd'), null, 'revision ids are hex only');
    writeFileSync(join(dir, 'x'), '');
    assert.deepEqual(store.ids(), ['bootstrap']);
    assert.equal(
      readFileSync(join(dir, '.history', 'bootstrap', 'log.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean).length,
      1,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
