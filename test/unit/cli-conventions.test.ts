// The conventions every bootline sub-command keeps: help on stdout with exit 0 at every level,
// wrong usage on stderr with exit 2 and the reason, a quiet exit when the reader of stdout goes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootline } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const HELP_ASKS = [
  ['--help'],
  ['-h'],
  ['help'],
  ['help', 'push'],
  ['push', '--help'],
  ['push', 'build', '-h'],
  ['push', 'inspect', '--help'],
  ['push', 'profile', '-h'],
  ['wbxml', '-h'],
  ['wbxml', 'decode', '--help'],
  ['call', '--help'],
  ['call', '-h'],
  ['flows', '--help'],
  ['flows', 'check', '-h'],
  ['flows', 'publish', '--help'],
  ['flows', 'history', '-h'],
  ['batch', '--help'],
  ['batch', 'submit', '-h'],
  ['purge', '-h'],
  ['purge', '--help'],
];

test('--help and -h print usage to stdout, ending in a newline, and exit 0 at every level', async () => {
  for (const args of HELP_ASKS) {
    const r = await bootline(args);
    const what = `bootline ${args.join(' ')}`;
    assert.equal(r.code, 0, what);
    assert.match(r.out, /^usage: bootline/, what);
    assert.ok(r.out.endsWith('\n'), `${what}: trailing newline`);
    assert.equal(r.err, '', `${what}: nothing on stderr`);
  }
});

test('wrong usage exits 2 with the reason on stderr and nothing on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [[], /a command is required/],
    [['pusj'], /unknown command "pusj" \(did you mean "push"\?\)/],
    [['push'], /a sub-command is required/],
    [['push', 'build', '--bogus'], /Unknown option '--bogus'/],
    [['flows'], /a sub-command is required/],
    [['flows', 'chek'], /unknown sub-command "chek" \(did you mean "check"\?\)/],
    [['flows', 'check', '--bogus'], /bootline flows: Unknown option '--bogus'/],
    [['flows', 'history'], /history needs a flow ID/],
    [['flows', 'graph', 'bootstrap', '--format', 'gif'], /--format is one of/],
    [['flows', 'publish', 'bootstrap', 'voice-flows/bootstrap.yaml'], /-m MESSAGE: the message is required/],
    [['batch', 'submit'], /submit needs a FILE/],
    [['purge', '--days', 'x'], /--days must be a whole number/],
    [['call', '--bogus'], /bootline call: Unknown option '--bogus'/],
  ];
  for (const [args, reason] of cases) {
    const r = await bootline(args);
    const what = `bootline ${args.join(' ')}`;
    assert.equal(r.code, 2, `${what}: ${r.err}`);
    assert.match(r.err, reason, what);
    assert.equal(r.out, '', `${what}: nothing on stdout`);
  }
});

test('a reader that goes away (bootline flows schema | head -1) is a quiet exit, not an EPIPE stack trace', async () => {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'flows', 'schema'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reading end closes before the command writes: its first write meets EPIPE.
  child.stdout.destroy();
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const [code] = await once(child, 'exit');
  assert.equal(err, '');
  assert.equal(code, 0);
});
