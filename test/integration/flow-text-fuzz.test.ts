import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { silentLogger } from '../../src/platform/logger.js';
import { watchFlows, type FlowWatcher } from '../../src/voice/watch.js';
import { flowsCli } from '../helpers/cli.js';
import { consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestRedis } from '../helpers/redis.js';

// Hostile flow text — alias bombs, deep nesting, huge scalars, odd encodings — through every
// way text reaches bootline: the admin API, `bootline flows check`, and a file dropped into the
// watched folder. Each is refused with a problem line (4xx, exit 1, a refused reload); nothing
// unreadable is stored; the console and the listings keep answering; the live flow keeps serving.
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
let watcher: FlowWatcher;
/** The default flow, which the console stack copies into its folder. */
const original = readFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), 'utf8');
let scratch: string;
const auth = { authorization: `Bearer ${OPERATOR}` };
const api = () => request(s.app);

before(async () => {
  redis = await startTestRedis();
  s = consoleStack(redis.url, { prefix: '{t-fuzz}' });
  await s.web.ready();
  assert.equal(readFileSync(join(s.dir, 'bootstrap.yaml'), 'utf8'), original);
  watcher = watchFlows(s.dir, s.web.flows, silentLogger(), 20);
  s.admin.attach(watcher);
  scratch = mkdtempSync(join(tmpdir(), 'bootline-fuzz-'));
});
after(async () => {
  watcher.close();
  rmSync(scratch, { recursive: true, force: true });
  await s.close();
  await redis.stop();
});

/** "Billion laughs": nine anchors, each nine aliases of the one before (9^9 values), 1 kB of text. */
function aliasBomb(): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (const l of 'bcdefghi') {
    text += `${l}: &${l} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = l;
  }
  return text;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const withFlow = (extra: string) => utf8(original + extra);

/** Texts that are not YAML bootline reads: each must be refused whatever way it comes in. */
const HOSTILE: Record<string, Buffer> = {
  'alias bomb': utf8(aliasBomb()),
  'alias bomb inside the real flow': withFlow(`bomb:\n${aliasBomb().replace(/^/gm, '  ')}`),
  'alias amplifying a long list': utf8(
    original.replace('allowedCountries: [GB, ES]', `allowedCountries: &c [${Array(2_000).fill('GB').join(',')}]`) +
      `\nx: [${Array(60).fill('*c').join(',')}]\n`,
  ),
  'alias inside its own anchor': utf8('a: &a [1, *a]\n'),
  'too many aliases': utf8(`a: &a x\nb: [${Array(150).fill('*a').join(',')}]\n`),
  'deep flow nesting': utf8(`id: ${'['.repeat(90_000)}${']'.repeat(90_000)}`),
  'deep block nesting': utf8(Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')),
  'deep compact sequences': utf8(`${'- '.repeat(50_000)}x`),
  'sixty thousand values': utf8(`x: [${Array(60_000).fill('1').join(',')}]\n`),
  'ten thousand duplicate keys': utf8(Array(10_000).fill('k: v').join('\n')),
  'UTF-16LE with BOM': Buffer.from(`\ufeff${original}`, 'utf16le'),
  'UTF-16BE with BOM': Buffer.from(`\ufeff${original}`, 'utf16le').swap16(),
  'UTF-16LE without BOM': Buffer.from(original, 'utf16le'),
  'UTF-8 BOM then an alias bomb': utf8(`\ufeff${aliasBomb()}`),
  'NUL byte': utf8(original.replace('id: bootstrap', 'id: boot\u0000strap')),
  'bell and escape': utf8(original.replace('Welcome', 'Wel\u0007come\u001b[31m')),
  'invalid UTF-8 (0xFF)': Buffer.concat([utf8(original), Buffer.from([0xff, 0x0a])]),
  'overlong UTF-8 slash': Buffer.concat([utf8('id: a'), Buffer.from([0xc0, 0xaf]), utf8('b\n')]),
  'UTF-8-encoded surrogate': Buffer.concat([utf8('id: a'), Buffer.from([0xed, 0xa0, 0x80]), utf8('\n')]),
  'truncated multi-byte': Buffer.concat([utf8(original), Buffer.from([0xe2, 0x82])]),
  'syntax error': utf8(original.replace('id: bootstrap', 'id: [bootstrap')),
  'tab-indented mapping': utf8('a:\n\tb: c\n'),
  'two documents': utf8(`${original}\n---\n${original}`),
  'implicit key over 1024 characters': withFlow(`\n${'k'.repeat(100_000)}: v\n`),
};

/** Readable YAML that breaks flow rules in large ways: stored only as a draft with its problems, never live. */
const ODD_BUT_READABLE: Record<string, string> = {
  'huge scalar': original.replace('Welcome to device setup.', 'x'.repeat(150_000)),
  'huge explicit key': `${original}\n? ${'k'.repeat(100_000)}\n: v\n`,
  'tags of other languages': `${original}\nx: !!python/object:os.system ls\ny: !!js/function "f"\nz: !!binary aGk=\n`,
  'a lone scalar': 'just a string',
  'empty text': '',
};

async function consoleStaysUp(what: string): Promise<void> {
  const [home, list, flow] = await Promise.all([
    api().get('/console').set(auth),
    api().get('/api/flows').set(auth),
    api().get('/api/flows/bootstrap').set(auth),
  ]);
  assert.equal(home.status, 200, `GET /console after ${what}`);
  assert.equal(list.status, 200, `GET /api/flows after ${what}`);
  assert.ok(
    list.body.flows.some((f: { id: string }) => f.id === 'bootstrap'),
    `the live flow is still listed after ${what}`,
  );
  assert.equal(flow.status, 200, `GET /api/flows/bootstrap after ${what}`);
  assert.equal(s.web.flows.get('bootstrap').source, original, `the live flow is unchanged after ${what}`);
}

test('the admin API: every hostile text is refused with 422 and a problem line; nothing is stored', async () => {
  for (const [what, bytes] of Object.entries(HOSTILE)) {
    const text = bytes.toString('utf8');
    const t0 = performance.now();
    const res = await api().put('/api/flows/fuzz/draft').set(auth).send({ text, seq: 0 });
    const ms = performance.now() - t0;
    assert.ok([413, 422].includes(res.status), `${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    if (res.status === 422) {
      assert.equal(res.body.error.code, 'FLOW_UNREADABLE', what);
      assert.match(res.body.error.problems[0].message, /\w/, `${what}: a problem says why`);
      assert.ok(res.body.error.problems[0].line >= 1, `${what}: and where`);
    }
    assert.ok(ms < 10_000, `${what}: answered in ${Math.round(ms)} ms`);
    const validated = await api().post('/api/flows/fuzz/validate').set(auth).send({ text });
    assert.ok(validated.status === 413 || validated.body.valid === false, `${what}: validate says invalid`);
    assert.equal((await api().get('/api/flows/fuzz').set(auth)).status, 404, `${what}: no draft was stored`);
    const pub = await api().post('/api/flows/fuzz/publish').set(auth).send({ seq: 0, message: 'fuzz' });
    assert.ok(pub.status >= 400 && pub.status < 500, `${what}: publish ${pub.status}`);
  }
  await consoleStaysUp('the hostile drafts');
});

test('the admin API: odd but readable texts become drafts with their problems, never live; pages stay up', async () => {
  for (const [i, [what, text]] of Object.entries(ODD_BUT_READABLE).entries()) {
    const id = `odd-${i}`;
    const res = await api().put(`/api/flows/${id}/draft`).set(auth).send({ text, seq: 0 });
    assert.equal(res.status, 200, `${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    assert.ok(res.body.problems.length > 0, `${what}: problems listed`);
    assert.ok(
      res.body.problems.every((p: { message: string; path: string }) => p.message.length + p.path.length < 700),
      `${what}: each problem is short`,
    );
    const pub = await api().post(`/api/flows/${id}/publish`).set(auth).send({ seq: 1, message: 'odd' });
    assert.equal(pub.status, 422, `${what}: never published`);
    assert.equal((await api().get(`/console/flows/${id}`).set(auth)).status, 200, `${what}: its page renders`);
  }
  await consoleStaysUp('the odd drafts');
});

test('random damage to a flow (bytes, characters, cuts): never a 5xx, the console stays up', async () => {
  const damage = fc.record({
    at: fc.nat({ max: original.length }),
    cut: fc.nat({ max: 200 }),
    insert: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('&a ', '*a', '[', '{', '- ', '<<: *a', '!!binary ', '\t', '\u0000', '\ufeff', '\ud800', ': '),
    ),
    repeat: fc.integer({ min: 1, max: 500 }),
  });
  let n = 0;
  await fc.assert(
    fc.asyncProperty(damage, async (d) => {
      const text = original.slice(0, d.at) + d.insert.repeat(d.repeat) + original.slice(d.at + d.cut);
      const id = `rnd-${n++}`;
      const res = await api().put(`/api/flows/${id}/draft`).set(auth).send({ text, seq: 0 });
      assert.ok(res.status < 500, `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      if (res.status === 200) assert.equal((await api().get(`/api/flows/${id}`).set(auth)).status, 200);
    }),
    { numRuns: 60, seed: 18 },
  );
  await consoleStaysUp('random damage');
});

test('a draft stored before these checks (an alias bomb in state.json) does not take the console down', async () => {
  const dir = join(s.dir, '.history', 'legacy');
  mkdirSync(dir, { recursive: true });
  const draft = { text: aliasBomb(), author: { name: 'old', role: 'operator' }, updatedAt: new Date().toISOString() };
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ seq: 1, draft, diskSeen: null }));
  const one = await api().get('/api/flows/legacy').set(auth);
  assert.equal(one.status, 200);
  assert.equal(one.body.draft.valid, false);
  assert.match(one.body.problems[0].message, /alias/);
  assert.equal((await api().get('/console/flows/legacy').set(auth)).status, 200);
  await consoleStaysUp('a stored alias bomb');
  const gone = await api().delete('/api/flows/legacy/draft?seq=1').set(auth);
  assert.equal(gone.status, 200, 'and the console can discard it');
});

test('`bootline flows check`: every hostile file is refused with file:line, exit 1, no crash', async () => {
  for (const [i, [what, bytes]] of Object.entries(HOSTILE).entries()) {
    const file = join(scratch, `case-${i}.yaml`);
    writeFileSync(file, bytes);
    const r = await flowsCli(['check', file]);
    assert.equal(r.code, 1, `${what}: exit ${r.code} ${r.err.slice(0, 200)}`);
    assert.match(r.out, /^FAIL /m, what);
    assert.ok(r.err.includes(`${file}:`), `${what}: a problem line names the file: ${r.err.slice(0, 200)}`);
  }
});

test('the flows folder watcher: every hostile file is a refused reload; the last good version serves', async () => {
  const live = join(s.dir, 'bootstrap.yaml');
  try {
    for (const [what, bytes] of Object.entries(HOSTILE)) {
      const rejected = once(watcher, 'rejected');
      writeFileSync(live, bytes);
      const [file, problems] = (await rejected) as [string, unknown[]];
      assert.equal(file, live, what);
      assert.ok(problems.length >= 1, `${what}: refused with its problems`);
      assert.equal(s.web.flows.get('bootstrap').source, original, `${what}: the last good version serves`);
      const got = await api().get('/api/flows/bootstrap').set(auth);
      assert.equal(got.body.draftText, null, `${what}: an unreadable file is not kept as the draft`);
    }
    await consoleStaysUp('hostile files on disk');
  } finally {
    writeFileSync(live, original);
  }
  // A UTF-8 byte order mark is allowed (YAML 1.2 §5.2): the same flow with one reloads.
  const reloaded = once(watcher, 'reloaded');
  writeFileSync(live, `\ufeff${original.replace('version: 2', 'version: 3')}`);
  await reloaded;
  assert.equal(s.web.flows.get('bootstrap').version, 3);
  writeFileSync(live, original);
});
