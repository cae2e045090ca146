// `bootline flows check` speaks to the person who wrote the flow: a YAML syntax error shows
// where it is, a schema slip is said in words, and a near miss gets a "did you mean".
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowsCli } from '../helpers/cli.js';
import { flowFixturesDir } from '../helpers/flow-fixtures.js';

const base = readFileSync(join(flowFixturesDir, 'base.yaml'), 'utf8');

/** The base fixture with `from` replaced by `to` (exactly once), checked from a file. */
async function checkEdited(edits: [string, string][]) {
  let text = base;
  for (const [from, to] of edits) {
    assert.equal(text.split(from).length, 2, `"${from}" is in the base flow once`);
    text = text.replace(from, to);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bootline-check-'));
  try {
    writeFileSync(join(dir, 'edited.yaml'), text);
    return await flowsCli(['check', join(dir, 'edited.yaml')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a YAML syntax error shows the line and a caret under the column, not a dangling "at line …"', async () => {
  const r = await checkEdited([['    timeout: 8\n', '    timeout: 8\n      bad: [\n']]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.err, /at line \d+, column \d+:/);
  const lines = r.err.split('\n');
  const head = lines.findIndex((l) => /edited\.yaml:\d+:\d+ /.test(l));
  assert.ok(head >= 0, r.err);
  const [, line, column] = /edited\.yaml:(\d+):(\d+) /.exec(lines[head]!)!;
  // The frame: the offending line marked ">", with its number, then the caret under the column.
  const marked = lines.slice(head + 1).find((l) => l.startsWith('>'))!;
  assert.match(marked, new RegExp(`^> +${line} \\| `));
  const caret = lines[lines.indexOf(marked) + 1]!;
  const gutter = marked.indexOf('| ') + 2;
  assert.equal(caret.indexOf('^') - gutter, Number(column) - 1, r.err);
});

test('a missing or mistyped key is said in words, not in raw validator text', async () => {
  const missing = await checkEdited([['    prompt: ask\n', '']]);
  const typed = await checkEdited([['    timeout: 8\n', '    timeout: eight\n']]);
  for (const r of [missing, typed]) {
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /Invalid input|received undefined|expected number, received/);
  }
  assert.match(missing.err, /steps\.number\.prompt: missing required key "prompt" \(a text\)/);
  assert.match(typed.err, /steps\.number\.timeout: should be a number, not the text "eight"/);
});

test('near misses get a "did you mean": step ids, prompt keys, step types and keys', async () => {
  const step = await checkEdited([['    next: confirm\n', '    next: confrim\n']]);
  assert.match(step.err, /steps\.number\.next: refers to missing step "confrim" \(did you mean "confirm"\?\)/);
  const prompt = await checkEdited([['    prompt: askCode\n', '    prompt: askCdoe\n']]);
  assert.match(prompt.err, /prompt "askCdoe" missing in language "en" \(did you mean "askCode"\?\)/);
  const type = await checkEdited([['    type: speak-pin\n', '    type: speak-pn\n']]);
  assert.match(type.err, /unknown step type "speak-pn" \(did you mean "speak-pin"\?\)/);
  const key = await checkEdited([['    timeout: 8\n', '    timout: 8\n']]);
  assert.match(key.err, /steps\.number\.timout: unknown key "timout" \(did you mean "timeout"\?\)/);
  const far = await checkEdited([['    next: confirm\n', '    next: somewhereElse\n']]);
  assert.doesNotMatch(far.err, /did you mean/, 'nothing is suggested for a word that is nowhere near');
});
