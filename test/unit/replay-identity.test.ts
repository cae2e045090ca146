import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayGuard } from '../../src/voice/replay.js';

test("a request is identified by Twilio's token (plain ones verbatim, others hashed to 22 safe characters), else by step and turn", () => {
  assert.equal(ReplayGuard.identity('a1B2-c3_d4', undefined, undefined), 'tok:a1B2-c3_d4');
  for (const odd of ['x'.repeat(65), 'tok with spaces', 'é', '{CAxx}:req', '\n']) {
    const id = ReplayGuard.identity(odd, 'number', 3)!;
    assert.match(id, /^tok:[A-Za-z0-9_-]{22}$/, JSON.stringify(odd));
    assert.equal(ReplayGuard.identity(odd, undefined, undefined), id, 'the same token, the same identity');
  }
  assert.notEqual(
    ReplayGuard.identity('tok with spaces', undefined, undefined),
    ReplayGuard.identity('tok with spaces!', undefined, undefined),
  );
  assert.match(ReplayGuard.identity(undefined, 'number', 3)!, /^in:[A-Za-z0-9_-]{16}:3$/);
  assert.equal(ReplayGuard.identity(undefined, 'number', undefined), null, 'no token and no turn: not deduplicated');
});
