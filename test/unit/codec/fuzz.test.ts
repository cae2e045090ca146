// Codec fuzz: seeded random mutations of valid pushes and bodies (both profiles, every TNDS encoding, string
// tables, nested OPAQUE), 10,000+ per run. Each input must end in a coded BootlineError or a well-formed
// document whose XML stays within a size proportional to the input, in bounded time and memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPush,
  decodeWbxml,
  inspectPush,
  parseXml,
  segmentPush,
  TNDS_ENCODINGS,
  type PushInput,
} from '../../../src/codec/index.js';
import { ERROR_CATALOGUE, isBootlineError } from '../../../src/errors.js';
import { EXAMPLE_A, EXAMPLE_C, vectorHex } from './fixtures.js';

const SEED = 0x5eed_b007;
const RUNS = 12_000;
/** XML output per input octet: 64 decoded characters, escaped (≤ 6×), plus indentation. */
const MAX_XML_PER_OCTET = 512;
/** CPU time, not wall time: the test box is shared, and a preempted process is not a slow decoder. */
const MAX_CPU_MS_PER_INPUT = 100;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** xorshift32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function seeds(): { kind: 'wsp' | 'body' | 'segments'; bytes: Uint8Array[] }[] {
  const dm = (tnds: (typeof TNDS_ENCODINGS)[number]): PushInput => ({ profile: 'dm', model: { ...EXAMPLE_C, tnds } });
  const pushes = [
    buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' }),
    buildPush(
      { profile: 'cp', model: EXAMPLE_A },
      { method: 'NETWPIN', imsi: '466923103145252' },
      { stringTable: true },
    ),
    ...TNDS_ENCODINGS.map((t) => buildPush(dm(t), { method: 'USERPIN', pin: '1234' }, { stringTable: t === 'inline' })),
  ];
  return [
    ...pushes.map((p) => ({ kind: 'wsp' as const, bytes: [p.wsp] })),
    ...pushes.map((p) => ({ kind: 'body' as const, bytes: [p.body] })),
    { kind: 'segments', bytes: segmentPush(pushes[0]!.wsp, { reference: 3 }).map((s) => s.shortMessage) },
    { kind: 'body', bytes: [vectorHex('mozilla/cht-body.hex')] },
    { kind: 'body', bytes: [vectorHex('libwbxml/example-c-typed.v12-nostrtbl.hex')] },
    { kind: 'body', bytes: [amplifying()] },
  ];
}

/** A small STR_T amplifier (a 1,000-octet entry referenced 200 times): mutations keep probing the budget. */
function amplifying(): Uint8Array {
  const table = Buffer.concat([Buffer.alloc(999, 'A'), Buffer.from([0])]);
  const refs = Buffer.alloc(400, Buffer.from('8300', 'hex'));
  return Buffer.concat([Buffer.from('030B6A8768', 'hex'), table, Buffer.from([0x45]), refs, Buffer.from([1])]);
}

/** One to eight edits: overwrite, insert, delete, duplicate a slice (repeats STR_T and tags), truncate. */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let b = Buffer.from(src);
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n && b.length > 0; i++) {
    const at = Math.floor(r() * b.length);
    const op = r();
    if (op < 0.5) b[at] = Math.floor(r() * 256);
    else if (op < 0.65) b = Buffer.concat([b.subarray(0, at), Buffer.from([Math.floor(r() * 256)]), b.subarray(at)]);
    else if (op < 0.8) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else if (op < 0.95) {
      const len = 1 + Math.floor(r() * 16);
      const copies = 1 + Math.floor(r() * 64);
      const slice = b.subarray(at, at + len);
      b = Buffer.concat([b.subarray(0, at), ...Array<Buffer>(copies).fill(slice), b.subarray(at)]);
    } else b = b.subarray(0, at);
  }
  return b;
}

test(`fuzz: ${RUNS} seeded mutations → a coded error or well-formed, bounded output, in bounded time and memory`, (t) => {
  const r = rng(SEED);
  const all = seeds();
  const outcomes = { documents: 0, errors: new Map<string, number>() };
  let slowest = 0;
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < RUNS; i++) {
    const seed = all[Math.floor(r() * all.length)]!;
    const input = seed.bytes.map((b) => mutate(b, r));
    const size = input.reduce((n, b) => n + b.length, 0);
    const t0 = process.cpuUsage();
    try {
      const xml =
        seed.kind === 'body'
          ? decodeWbxml(input[0]!).xml
          : inspectPush(seed.kind === 'wsp' ? { wsp: input[0]! } : { segments: input }).wbxml.xml;
      assert.ok(xml.length <= MAX_XML_PER_OCTET * size + 100_000, `run ${i}: ${xml.length} characters from ${size}`);
      parseXml(xml); // well-formed, and no character XML 1.0 forbids
      outcomes.documents++;
    } catch (e) {
      if (!isBootlineError(e) || !(e.code in ERROR_CATALOGUE))
        assert.fail(
          `run ${i} (seed 0x${SEED.toString(16)}): ${String(e)}\ninput ${input.map((b) => Buffer.from(b).toString('hex')).join(' ')}`,
        );
      outcomes.errors.set(e.code, (outcomes.errors.get(e.code) ?? 0) + 1);
    }
    slowest = Math.max(slowest, cpuMs(t0));
  }
  assert.ok(slowest < MAX_CPU_MS_PER_INPUT, `slowest input took ${slowest.toFixed(0)} ms of CPU`);
  assert.ok(process.memoryUsage().rss - rss0 < 256 * 2 ** 20, 'resident memory grew by less than 256 MB');
  t.diagnostic(
    `seed 0x${SEED.toString(16)}: ${outcomes.documents} documents, ${RUNS - outcomes.documents} coded errors ` +
      `(${[...outcomes.errors].map(([k, v]) => `${k} ${v}`).join(', ')}); slowest input ${slowest.toFixed(1)} ms of CPU`,
  );
  // The mutations must reach both outcomes, or the fuzz tests nothing.
  assert.ok(outcomes.documents > RUNS / 20, `${outcomes.documents} documents`);
  assert.ok(outcomes.errors.size >= 10, `error codes seen: ${[...outcomes.errors.keys()].join(', ')}`);
  assert.ok(outcomes.errors.has('WBXML_TOO_LARGE'), 'the amplifier seed reaches the output bound');
});
