import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBootlineError } from '../../../src/errors.js';
import { flowJsonSchemaText } from '../../../src/voice/json-schema.js';
import { parseFlow, type FlowProblem } from '../../../src/voice/load.js';
import { FlowRegistry } from '../../../src/voice/registry.js';
import { flowsCli } from '../../helpers/cli.js';
import { flowFixture, flowFixtures, lineOf, writeFlowFixtures } from '../../helpers/flow-fixtures.js';
import { repoRoot } from '../../helpers/paths.js';

const shipped = join(repoRoot, 'voice-flows');
const base = flowFixture('good', 'base.yaml').text;

function problemsOf(run: () => unknown): FlowProblem[] {
  try {
    run();
  } catch (err) {
    assert.ok(isBootlineError(err, 'FLOW_INVALID'), String(err));
    return err.details.problems as FlowProblem[];
  }
  assert.fail('flow should be refused');
}

test('the shipped default flow loads: language menu first, English and Spanish', () => {
  const flow = FlowRegistry.fromDirectory(shipped).get('bootstrap');
  assert.equal(flow.start, 'language');
  assert.deepEqual(Object.keys(flow.languages), ['en', 'es']);
  assert.deepEqual(Object.keys(flow.prompts.en!).sort(), Object.keys(flow.prompts.es!).sort());
  assert.equal(flow.escapes['0'], 'agent');
  assert.match(flow.revision, /^[0-9a-f]{16}$/);
});

test('voice-flows/flow.schema.json is the schema the loader enforces, and flow files point editors at it', () => {
  assert.equal(
    readFileSync(join(shipped, 'flow.schema.json'), 'utf8'),
    flowJsonSchemaText(),
    'regenerate: bootline flows schema > voice-flows/flow.schema.json',
  );
  const schema = JSON.parse(flowJsonSchemaText()) as {
    properties: Record<string, unknown>;
    additionalProperties: boolean;
  };
  assert.equal(schema.additionalProperties, false, 'unknown top-level keys are refused by editors too');
  assert.ok(schema.properties.steps);
  assert.match(
    readFileSync(join(shipped, 'bootstrap.yaml'), 'utf8'),
    /^# yaml-language-server: \$schema=\.\/flow\.schema\.json$/m,
  );
});

for (const { name, text } of flowFixtures('good')) {
  test(`good flow fixture ${name} loads`, () => {
    parseFlow(name, text);
  });
}

// Each bad fixture is the base flow with a few lines changed (test/fixtures/flows/bad/*.patch.yaml)
// and says what must be refused: the path, the start of the message, and the line it points at.
for (const { name, text, refused } of flowFixtures('bad')) {
  test(`bad flow fixture ${name} is refused with file, line and path`, () => {
    const { at, path, message } = refused!;
    const line = lineOf(text, at);
    try {
      parseFlow(name, text);
      assert.fail('flow should be refused');
    } catch (err) {
      assert.ok(isBootlineError(err, 'FLOW_INVALID'), String(err));
      const problems = err.details.problems as FlowProblem[];
      const hit = problems.find((p) => p.path === path && p.message.startsWith(message));
      assert.ok(hit, `expected ${path}: ${message}…, got ${JSON.stringify(problems)}`);
      assert.equal(hit.line, line, `reported at ${name}:${hit.line} "${text.split('\n')[hit.line - 1]}", not "${at}"`);
      assert.equal(hit.file, name);
      assert.match(err.message, new RegExp(`${name}:${line}`));
    }
  });
}

test('every problem of a file is reported at once', () => {
  const text = base
    .replace('timeout: 8', 'timeot: 8')
    .replace('next: sendCode', 'next: nowhere')
    .replace('voice: Polly.Lupe,', 'voice: Polly.Amy,');
  const paths = problemsOf(() => parseFlow('f.yaml', text))
    .map((p) => p.path)
    .sort();
  assert.deepEqual(paths, ['languages.es.voice', 'steps.confirm.next', 'steps.number.timeot']);
});

test('a folder with two flows of the same id is refused; every file is checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-flows-'));
  try {
    const good = base;
    writeFileSync(join(dir, 'a.yaml'), good);
    writeFileSync(join(dir, 'b.yaml'), good);
    writeFileSync(
      join(dir, 'c.yaml'),
      good.replace('id: fixture', 'id: other').replace('start: language', 'start: nope'),
    );
    const problems = problemsOf(() => FlowRegistry.fromDirectory(dir));
    assert.ok(
      problems.some((p) => p.file.endsWith('b.yaml') && p.path === 'id' && /also used by .*a\.yaml/.test(p.message)),
    );
    assert.ok(problems.some((p) => p.file.endsWith('c.yaml') && p.path === 'start'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bootline flows check: 0 for good flows, 1 with file:line path: message for bad ones', async () => {
  const ok = await flowsCli(['check']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(
    ok.out,
    /^ok {3}.*voice-flows\/bootstrap\.yaml \(flow bootstrap v\d+, revision [0-9a-f]{16}, \d+ steps\)$/m,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bootline-fixtures-'));
  try {
    writeFlowFixtures(dir);
    const bad = await flowsCli([
      'check',
      join(dir, 'good'),
      join(dir, 'bad', 'dangling-reference.yaml'),
      join(dir, 'bad', 'unknown-voice.yaml'),
    ]);
    assert.equal(bad.code, 1);
    const at = (name: string, text: string) => lineOf(flowFixture('bad', name).text, text);
    assert.match(
      bad.err,
      new RegExp(
        `bad/dangling-reference\\.yaml:${at('dangling-reference.yaml', 'next: sendCod')} ` +
          'steps\\.confirm\\.next: refers to missing step "sendCod" \\(did you mean "sendCode"\\?\\)$',
        'm',
      ),
    );
    assert.match(
      bad.err,
      new RegExp(
        `bad/unknown-voice\\.yaml:${at('unknown-voice.yaml', 'Polly.Joana-Neural')} ` +
          'languages\\.en\\.voice: unknown voice "Polly\\.Joana-Neural"',
        'm',
      ),
    );
    assert.match(bad.out, /^FAIL .*dangling-reference\.yaml$/m);
    assert.match(bad.out, /^ok {3}.*good\/taskrouter-agent\.yaml/m);
    assert.doesNotMatch(bad.err, /good\//, 'the good flows (distinct ids) raise nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missing = await flowsCli(['check', 'no-such.yaml']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no-such\.yaml:1 no such file/);
});

test('bootline flows schema prints the published schema', async () => {
  const r = await flowsCli(['schema']);
  assert.equal(r.code, 0);
  assert.equal(r.out, flowJsonSchemaText());
});
