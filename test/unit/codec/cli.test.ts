// The codec CLI beyond the examples in docs/reference/codec.md: files, stdin/stdout, binary output, errors and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run as pushCmd } from '../../../src/cli/push.js';
import { run as wbxmlCmd } from '../../../src/cli/wbxml.js';
import type { CliCommand } from '../../../src/cli/io.js';
import { decodeWbxml, parsePush, reassemble, verifyUserPinMacCode } from '../../../src/codec/index.js';
import { repoRoot } from '../../helpers/paths.js';

async function cli(cmd: CliCommand, args: string[], stdin: Uint8Array = Buffer.alloc(0)) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const o = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const e = new PassThrough().on('data', (c: Buffer) => err.push(c));
  const code = await cmd(args, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: o,
    stderr: e,
    env: {},
    cwd: repoRoot,
  });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}

test('wbxml encode to a binary file, decode from stdin; options reach the encoder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-cli-'));
  const out = join(dir, 'c.wbxml');
  assert.equal(
    (
      await cli(wbxmlCmd, [
        'encode',
        'test/vectors/documents/example-c.xml',
        '--out',
        out,
        '--version',
        '1.3',
        '--string-table',
      ])
    ).code,
    0,
  );
  const bytes = readFileSync(out);
  assert.equal(bytes[0], 3);
  assert.ok(bytes[4]! > 0, 'string table present');
  const dec = await cli(wbxmlCmd, ['decode', '-'], bytes);
  assert.equal(dec.code, 0);
  assert.equal(dec.stdout.toString(), decodeWbxml(bytes).xml);
});

test('push build --format binary and segments agree; USERPINMAC prints a user code that verifies', async () => {
  const base = [
    'build',
    '--model',
    'test/vectors/documents/dm-model.yaml',
    '--sec',
    'USERPINMAC',
    '--user-key',
    '123456',
  ];
  const bin = await cli(pushCmd, [...base, '--format', 'binary']);
  assert.equal(bin.code, 0);
  const code = /user code: (\d+)/.exec(bin.stderr)?.[1];
  assert.ok(code && code.length === 12);
  assert.ok(verifyUserPinMacCode(parsePush(bin.stdout).body, code));
  const segs = await cli(pushCmd, [
    ...base,
    '--format',
    'segments',
    '--reference',
    '300',
    '--reference-bits',
    '16',
    '--data-coding',
    '0xF5',
  ]);
  const lines = segs.stdout.toString().trim().split('\n');
  assert.ok(lines.length >= 5);
  assert.ok(lines[0]!.startsWith('0C05040B8423F00804012C'));
  assert.equal(Buffer.compare(reassemble(lines.map((l) => Buffer.from(l, 'hex'))), bin.stdout), 0);
});

test('errors: coded errors exit 1 with the code; usage errors exit 2; MAC mismatch exits 3', async () => {
  const badPin = await cli(pushCmd, [
    'build',
    '--model',
    'test/vectors/documents/cp-model.yaml',
    '--sec',
    'USERPIN',
    '--pin',
    '12x4',
  ]);
  assert.equal(badPin.code, 1);
  assert.match(badPin.stderr, /^bootline: SEC_BAD_PIN: .*offset 2/);
  assert.equal((await cli(pushCmd, ['build', '--sec', 'USERPIN'])).code, 2);
  assert.equal((await cli(pushCmd, ['frobnicate'])).code, 2);
  assert.equal((await cli(wbxmlCmd, ['encode', '--bogus'])).code, 2);
  assert.equal(
    (await cli(pushCmd, ['build', '--model', 'test/vectors/documents/cp-model.yaml', '--sec', 'NOPE'])).code,
    1,
  );
  const wrong = await cli(pushCmd, ['inspect', 'test/vectors/kannel/example-a-userpin.segments.hex', '--pin', '9999']);
  assert.equal(wrong.code, 3);
  assert.match(wrong.stdout.toString(), /MAC: mismatch/);
  const bad = await cli(pushCmd, ['inspect', '-'], Buffer.from('01 06 2F 1F'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /WSP_TRUNCATED/);
});

test('push build --tnds chooses the TNDS encoding of a DM model; push profile reads a table', async () => {
  const base = ['build', '--model', 'test/vectors/documents/dm-model.yaml', '--sec', 'USERPIN', '--pin', '1234'];
  const hexTnds = await cli(pushCmd, [...base, '--tnds', 'wbxml-hex', '--format', 'binary']);
  assert.equal(hexTnds.code, 0);
  assert.match(decodeWbxml(parsePush(hexTnds.stdout).body).xml, /<Data>0200006A1B2D2F2F4F4D412F2F/);
  assert.equal((await cli(pushCmd, [...base, '--tnds', 'base64'])).code, 2);
  const cp = await cli(pushCmd, [
    'build',
    '--model',
    'test/vectors/documents/cp-model.yaml',
    '--sec',
    'USERPIN',
    '--pin',
    '1',
    '--tnds',
    'inline',
  ]);
  assert.equal(cp.code, 1);
  assert.match(cp.stderr, /--tnds is for a DM-profile model/);
  const table = ['--device-profiles', 'docs/reference/device-profiles.example.json'];
  const lab = await cli(pushCmd, ['profile', '--tac', '01000003', ...table]);
  assert.equal(
    lab.stdout.toString(),
    'profile dm-lab-handset (chosen by its TAC): DM bootstrap, TNDS inline, SEC USERPIN, data coding 0xF5\n',
  );
  assert.match(
    (await cli(pushCmd, ['profile', '--operator', '00101', ...table])).stdout.toString(),
    /dm-aosp \(chosen by its operator\)/,
  );
  assert.match((await cli(pushCmd, ['profile', '--imei', '1'])).stderr, /IMEI_INVALID/);
  assert.match((await cli(pushCmd, ['profile', '--device-profiles', 'nope.json'])).stderr, /CONFIG_INVALID/);
});
