// Runs every CLI example in docs/reference/codec.md and checks its output: the page cannot drift from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run as pushCmd } from '../../../src/cli/push.js';
import { run as wbxmlCmd } from '../../../src/cli/wbxml.js';
import type { CliCommand } from '../../../src/cli/io.js';
import { repoRoot } from '../../helpers/paths.js';

const COMMANDS: Record<string, CliCommand> = { wbxml: wbxmlCmd, push: pushCmd };

interface Example {
  command: string;
  expected: string[];
}

function examples(): Example[] {
  const readme = readFileSync(join(repoRoot, 'docs', 'reference', 'codec.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- codec:start -->'), readme.indexOf('<!-- codec:end -->'));
  const out: Example[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('$ ')) out.push({ command: line.slice(2), expected: [] });
      else if (line !== '') out[out.length - 1]?.expected.push(line);
    }
  }
  return out;
}

async function runOne(argv: string[], stdin: Buffer): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const [name, ...args] = argv;
  const cmd = COMMANDS[name ?? ''];
  assert.ok(cmd, `docs/reference/codec.md uses unknown command ${name}`);
  const collect = () => {
    const s = new PassThrough();
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    return { s, bytes: () => Buffer.concat(chunks) };
  };
  const out = collect();
  const err = collect();
  const code = await cmd(args, { stdin: Readable.from([stdin]), stdout: out.s, stderr: err.s, env: {}, cwd: repoRoot });
  return { code, stdout: out.bytes(), stderr: err.bytes().toString('utf8') };
}

/** Runs `npx bootline a … | npx bootline b …` in-process; returns the last stage's output. */
async function pipeline(command: string): Promise<string[]> {
  let input: Buffer = Buffer.alloc(0);
  let text = '';
  for (const stage of command.split(' | ')) {
    const argv = stage
      .trim()
      .split(/\s+/)
      .filter((t, i) => !(i < 2 && (t === 'npx' || t === 'bootline')));
    const r = await runOne(argv, input);
    input = r.stdout;
    text =
      r.stdout.toString('utf8') +
      r.stderr
        .split('\n')
        .filter((l) => l.startsWith('bootline:'))
        .map((l) => l + '\n')
        .join('');
  }
  return text.replace(/\n+$/, '').split('\n');
}

function matches(expected: string[], actual: string[]): string | undefined {
  let a = 0;
  const same = (e: string, l: string | undefined) =>
    l !== undefined && (e.endsWith('...') ? l.startsWith(e.slice(0, -3)) : l === e);
  for (let e = 0; e < expected.length; e++) {
    const want = expected[e]!;
    if (want === '...') {
      const next = expected[e + 1];
      if (next === undefined) return undefined;
      while (a < actual.length && !same(next, actual[a])) a++;
      continue;
    }
    if (!same(want, actual[a]))
      return `line ${a + 1}: expected ${JSON.stringify(want)}, got ${JSON.stringify(actual[a])}`;
    a++;
  }
  return a === actual.length ? undefined : `unexpected extra output from line ${a + 1}: ${JSON.stringify(actual[a])}`;
}

test('the codec reference has CLI examples for every sub-command', () => {
  const ex = examples();
  assert.ok(ex.length >= 8, `${ex.length} examples`);
  for (const sub of ['wbxml encode', 'wbxml decode', 'push build', 'push inspect'])
    assert.ok(
      ex.some((e) => e.command.includes(sub)),
      sub,
    );
  assert.ok(
    ex.every((e) => e.expected.length > 0),
    'every example shows its output',
  );
});

for (const ex of examples()) {
  test(`codec reference example: ${ex.command}`, async () => {
    const actual = await pipeline(ex.command);
    const problem = matches(ex.expected, actual);
    assert.equal(problem, undefined, `${problem}\n--- output ---\n${actual.join('\n')}`);
  });
}
