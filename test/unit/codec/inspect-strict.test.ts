// `push inspect` judges a push as a strict handset does (test/vectors/strict/, edits of Kannel's USERPIN push
// made by make_hostile.py), still shows the content, and reads the binary PDU `push build --format binary` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run as pushCmd } from '../../../src/cli/push.js';
import {
  assertStrictlyAcceptable,
  buildPush,
  buildWspPush,
  inspectPush,
  segmentPush,
} from '../../../src/codec/index.js';
import { isBootlineError } from '../../../src/errors.js';
import { repoRoot } from '../../helpers/paths.js';
import { EXAMPLE_A, vectorSegments } from './fixtures.js';

async function inspect(args: string[]) {
  const out: Buffer[] = [];
  const code = await pushCmd(['inspect', ...args], {
    stdin: Readable.from([Buffer.alloc(0)]),
    stdout: new PassThrough().on('data', (c: Buffer) => out.push(c)),
    stderr: new PassThrough(),
    env: {},
    cwd: repoRoot,
  });
  return { code, text: Buffer.concat(out).toString('utf8') };
}

const REFUSED: [string, string][] = [
  ['strict/lowercase-mac.wsp.hex', 'MAC_NOT_UPPERCASE_HEX'],
  ['strict/sec-long-integer.wsp.hex', 'SEC_NOT_SHORT_INTEGER'],
  ['strict/sec-duplicated.wsp.hex', 'SEC_DUPLICATED'],
  ['strict/no-port-ie.segments.hex', 'PORT_IE_MISSING'],
  ['strict/swapped-ports.segments.hex', 'DESTINATION_PORT_NOT_WAP_PUSH'],
];

test('strict (the default): each edited push is REFUSED with its reason and exit 3, content still shown', async () => {
  for (const [file, finding] of REFUSED) {
    const r = await inspect([`test/vectors/${file}`, '--pin', '1234']);
    assert.equal(r.code, 3, file);
    assert.match(r.text, /^Verdict: REFUSED — a strict handset drops this push:$/m, file);
    assert.match(r.text, new RegExp(`^  ${finding}: `, 'm'), file);
    assert.match(r.text, /MAC: ok — verifies with USERPIN/, `${file}: the MAC value itself is right`);
    assert.match(r.text, /<parm name="PROVIDER-ID" value="com.example.dm"\/>/, `${file}: content shown`);
    assert.equal((await inspect([`test/vectors/${file}`, '--pin', '1234', '--strict'])).code, 3);
  }
  const kannel = await inspect(['test/vectors/kannel/example-a-userpin.segments.hex', '--pin', '1234']);
  assert.equal(kannel.code, 0);
  assert.match(kannel.text, /^Verdict: ACCEPTED — a strict handset takes this push$/m);
});

test('--lenient only shows the content: exit 0, the objections listed without a verdict', async () => {
  for (const [file, finding] of REFUSED) {
    const r = await inspect([`test/vectors/${file}`, '--pin', '1234', '--lenient']);
    assert.equal(r.code, 0, file);
    assert.doesNotMatch(r.text, /^Verdict:/m);
    assert.match(r.text, new RegExp(`^  ${finding}: `, 'm'));
  }
  assert.equal(
    (await inspect(['test/vectors/kannel/example-a-userpin.segments.hex', '--pin', '9', '--lenient'])).code,
    3,
  );
  assert.equal((await inspect(['-', '--strict', '--lenient'])).code, 2);
});

test('the report carries the findings; assertStrictlyAcceptable throws PUSH_STRICT_REFUSED with them', () => {
  const segs = vectorSegments('strict/swapped-ports.segments.hex');
  const r = inspectPush({ segments: segs }, { pin: '1234' });
  assert.equal(r.verdict, 'refused');
  assert.deepEqual(new Set(r.findings.map((f) => f.code)), new Set(['DESTINATION_PORT_NOT_WAP_PUSH']));
  assert.throws(
    () => assertStrictlyAcceptable(r),
    (e) => isBootlineError(e, 'PUSH_STRICT_REFUSED') && (e.details.findings as unknown[]).length === 3,
  );
  // What bootline itself sends passes, for every SEC method.
  for (const sec of [
    { method: 'USERPIN', pin: '1234' },
    { method: 'NETWPIN', imsi: '466923103145252' },
  ] as const) {
    const built = buildPush({ profile: 'cp', model: EXAMPLE_A }, sec);
    const ours = inspectPush({ segments: segmentPush(built.wsp, { reference: 9 }).map((s) => s.shortMessage) }, sec);
    assert.equal(ours.verdict, 'accepted', sec.method);
    assert.doesNotThrow(() => assertStrictlyAcceptable(ours));
  }
});

test('unsigned and mislabelled pushes are refused; a push without secrets given is UNVERIFIED', () => {
  const body = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' }).body;
  const unsigned = inspectPush({ wsp: buildWspPush({ tid: 1, contentType: 0x36, body }) });
  assert.deepEqual(
    unsigned.findings.map((f) => f.code),
    ['SEC_MISSING', 'MAC_MISSING'],
  );
  const mms = inspectPush({
    wsp: buildWspPush({ tid: 1, contentType: 0x3e, sec: 'USERPIN', mac: 'A'.repeat(40), body }),
  });
  assert.deepEqual(
    mms.findings.map((f) => f.code),
    ['CONTENT_TYPE_NOT_BOOTSTRAP'],
  );
  assert.equal(mms.verdict, 'refused');
  const signed = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' });
  assert.equal(inspectPush({ wsp: signed.wsp }).verdict, 'unverified');
});

test('inspect reads the binary WSP PDU that push build --format binary writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-inspect-'));
  const out = join(dir, 'push.bin');
  const build = await pushCmd(
    [
      'build',
      '--model',
      'test/vectors/documents/cp-model.yaml',
      '--sec',
      'USERPIN',
      '--pin',
      '1234',
      '--format',
      'binary',
      '--out',
      out,
    ],
    { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: repoRoot },
  );
  assert.equal(build, 0);
  const r = await inspect([out, '--pin', '1234']);
  assert.equal(r.code, 0);
  assert.match(r.text, /^WSP: TID 0x01, PDU type 0x06 \(Push\), HeadersLen 47$/m);
  assert.match(r.text, /^Verdict: ACCEPTED/m);
  assert.match(r.text, /the SMS ports were not checked/);
});
