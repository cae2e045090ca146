import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Router } from 'express';
import request from 'supertest';
import { FLOWS_OPENAPI } from '../../src/console/api/flows-openapi.js';
import { flowRoutes } from '../../src/console/api/flows.js';
import { callRoutes } from '../../src/console/api/calls.js';
import { simRoutes } from '../../src/console/api/sim.js';
import { SessionCookies } from '../../src/console/session.js';
import { MAX_FLOW_CHARS } from '../../src/console/flows/text.js';
import { startTestRedis } from '../helpers/redis.js';
import { AGENT, consoleStack, OPERATOR, type ConsoleStack } from '../helpers/console-stack.js';

// The flow admin API, operation by operation, on a temp copy of voice-flows/: drafts (valid
// or not), conflicts, publish (atomic, validated), rollback, diff, graph, hand edits on disk.
const OLD_SENT = 'We have sent a text message with a 6-digit code to that phone.';
const NEW_SENT = 'A code is on its way to that phone by text message.';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let s: ConsoleStack;
let original: string;
const auth = { authorization: `Bearer ${OPERATOR}`, 'x-bootline-author': 'Bob' };
const api = () => request(s.app);
const file = () => readFileSync(join(s.dir, 'bootstrap.yaml'), 'utf8');
const seqNow = async () => (await api().get('/api/flows/bootstrap').set(auth)).body.seq as number;

before(async () => {
  redis = await startTestRedis();
  s = consoleStack(redis.url, { prefix: '{t-flows-api}' });
  await s.web.ready();
  original = file();
});
after(async () => {
  await s.close();
  await redis.stop();
});

test('authentication: no token 401, agent 403, operator 200; the history starts with the file on disk', async () => {
  const none = await api().get('/api/flows');
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'API_UNAUTHORIZED');
  assert.equal(
    (await api().get('/api/flows').set('authorization', `Bearer ${AGENT}`)).body.error.code,
    'API_FORBIDDEN',
  );
  assert.equal((await api().put('/api/flows/bootstrap/draft').send({ text: 'x', seq: 0 })).status, 401, 'writes too');
  const list = await api().get('/api/flows').set(auth);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.flows.map((f: { id: string; status: string }) => [f.id, f.status]),
    [['bootstrap', 'published']],
  );
  const [rev] = (await api().get('/api/flows/bootstrap/revisions').set(auth)).body.revisions;
  assert.equal(rev.n, 1);
  assert.equal(rev.kind, 'initial');
  assert.equal(rev.added, original.split('\n').length - 1);
});

test('validate: YAML errors and schema errors come back with their line; nothing is stored', async () => {
  const yamlErr = await api()
    .post('/api/flows/bootstrap/validate')
    .set(auth)
    .send({ text: 'id: bootstrap\nsteps: [unclosed\n' });
  assert.equal(yamlErr.status, 200);
  assert.equal(yamlErr.body.valid, false);
  assert.ok(yamlErr.body.problems[0].line >= 2);
  const line = original.split('\n').indexOf('    timeout: 8') + 1;
  const schemaErr = await api()
    .post('/api/flows/bootstrap/validate')
    .set(auth)
    .send({ text: original.replace('    timeout: 8\n', '    timeout: 99\n') });
  assert.equal(schemaErr.body.valid, false);
  assert.deepEqual(
    schemaErr.body.problems.map((p: { line: number; path: string }) => [p.line, p.path]),
    [[line, 'steps.number.timeout']],
  );
  const renamed = await api()
    .post('/api/flows/bootstrap/validate')
    .set(auth)
    .send({ text: original.replace('id: bootstrap', 'id: other') });
  assert.equal(renamed.body.problems[0].path, 'id', 'a flow keeps its id');
  assert.equal((await api().post('/api/flows/bootstrap/validate').set(auth).send({ text: original })).body.valid, true);
  assert.equal(await seqNow(), 0);
});

test('large pastes are refused with FLOW_TOO_LARGE (413), before and after JSON parsing', async () => {
  const big = original + '#'.repeat(MAX_FLOW_CHARS);
  const r = await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: big, seq: 0 });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'FLOW_TOO_LARGE');
  const huge = await api()
    .post('/api/flows/bootstrap/validate')
    .set(auth)
    .send({ text: 'x'.repeat(MAX_FLOW_CHARS * 2) });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error.code, 'FLOW_TOO_LARGE');
});

test('an invalid draft is saved but never published; the live file stays', async () => {
  const broken = original.replace('    timeout: 8\n', '    timeot: 8\n');
  const saved = await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: broken, seq: 0 });
  assert.equal(saved.status, 200);
  assert.equal(saved.body.seq, 1);
  assert.match(saved.body.problems[0].message, /unknown key "timeot"/);
  const pub = await api().post('/api/flows/bootstrap/publish').set(auth).send({ seq: 1, message: 'typo' });
  assert.equal(pub.status, 422);
  assert.equal(pub.body.error.code, 'FLOW_DRAFT_INVALID');
  assert.equal(pub.body.error.problems[0].path, 'steps.number.timeot');
  assert.equal(file(), original);
  assert.equal(s.web.flows.get('bootstrap').source, original);
  assert.equal((await api().get('/api/flows/bootstrap/revisions').set(auth)).body.revisions.length, 1);
  const graph = await api().get('/api/flows/bootstrap/graph?version=draft').set(auth).buffer(true);
  assert.equal(graph.status, 200, 'an invalid draft still draws');
  assert.match(
    String(graph.body),
    /data-step="number" data-line="\d+"><title>[^<]*unknown key/,
    'its problem on its step',
  );
  const mmd = await api().get('/api/flows/bootstrap/graph?version=draft&format=mermaid').set(auth);
  assert.equal(mmd.status, 422, 'Mermaid text is for valid versions only');
});

test('concurrent edits: the second save is refused with 409, the current seq and a diff of what it would overwrite', async () => {
  const seq = await seqNow();
  const mine = original.replace(OLD_SENT, NEW_SENT);
  const theirs = original.replace('Welcome to device setup.', 'Hello and welcome.');
  assert.equal((await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: mine, seq })).status, 200);
  const second = await api()
    .put('/api/flows/bootstrap/draft')
    .set({ authorization: `Bearer ${OPERATOR}`, 'x-bootline-author': 'Carol' })
    .send({ text: theirs, seq });
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, 'FLOW_CONFLICT');
  assert.equal(second.body.error.seq, seq + 1);
  assert.match(second.body.error.message, /changed by Bob/);
  assert.match(
    second.body.error.diff,
    new RegExp(`^-    codeSent: ${NEW_SENT}`, 'm'),
    'the diff shows the change Carol would lose',
  );
  assert.match(second.body.error.diff, /^\+.*Hello and welcome\./m);
  const get = await api().get('/api/flows/bootstrap').set(auth);
  assert.equal(get.body.draftText, mine, 'the first save stands');
  assert.equal(get.body.draft.author.name, 'Bob');
});

test('diff against published, then publish: atomic file write, registry switched, revision recorded', async () => {
  const diff = await api().get('/api/flows/bootstrap/diff?from=published&to=draft').set(auth);
  assert.match(diff.body.diff, new RegExp(`^\\+    codeSent: ${NEW_SENT}`, 'm'));
  const seq = await seqNow();
  assert.equal(
    (
      await api()
        .post('/api/flows/bootstrap/publish')
        .set(auth)
        .send({ seq: seq - 1, message: 'x' })
    ).body.error.code,
    'FLOW_CONFLICT',
    'a stale seq',
  );
  assert.equal(
    (await api().post('/api/flows/bootstrap/publish').set(auth).send({ seq })).body.error.code,
    'BAD_REQUEST',
    'a message is required',
  );
  const base = (await api().get('/api/flows/bootstrap').set(auth)).body.published.revision;
  const pub = await api()
    .post('/api/flows/bootstrap/publish')
    .set(auth)
    .send({ seq, baseRevision: base, message: 'Shorter code prompt' });
  assert.equal(pub.status, 200);
  assert.deepEqual(
    {
      n: pub.body.n,
      kind: pub.body.kind,
      author: pub.body.author,
      message: pub.body.message,
      added: pub.body.added,
      removed: pub.body.removed,
      parent: pub.body.parent,
    },
    {
      n: 2,
      kind: 'publish',
      author: { name: 'Bob', role: 'operator' },
      message: 'Shorter code prompt',
      added: 1,
      removed: 1,
      parent: base,
    },
  );
  const mine = original.replace(OLD_SENT, NEW_SENT);
  assert.equal(file(), mine);
  assert.equal(s.web.flows.get('bootstrap').revision, pub.body.revision);
  const get = await api().get('/api/flows/bootstrap').set(auth);
  assert.equal(get.body.status, 'published');
  assert.equal(get.body.draftText, null);
  assert.ok(!existsSync(join(s.dir, 'bootstrap.yaml.' + process.pid + '.tmp')), 'no temp file left');

  // Someone reviewing against the old published revision cannot publish over the new one.
  await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: original, seq: get.body.seq });
  const stale = await api()
    .post('/api/flows/bootstrap/publish')
    .set(auth)
    .send({ seq: get.body.seq + 1, baseRevision: base, message: 'old view' });
  assert.equal(stale.status, 409);
  assert.match(stale.body.error.diff, /published now/);
  const staleDiscard = await api().delete(`/api/flows/bootstrap/draft?seq=${get.body.seq}`).set(auth);
  assert.equal(staleDiscard.status, 409, 'discarding needs the current seq too');
  const discard = await api()
    .delete(`/api/flows/bootstrap/draft?seq=${get.body.seq + 1}`)
    .set(auth);
  assert.equal(discard.status, 200);
  assert.equal(
    (
      await api()
        .delete(`/api/flows/bootstrap/draft?seq=${get.body.seq + 2}`)
        .set(auth)
    ).body.error.code,
    'FLOW_REVISION_UNKNOWN',
    'no draft left',
  );
});

test('a revision, its diff, and rollback (a new revision; rolling back to the live one is refused)', async () => {
  const one = await api().get('/api/flows/bootstrap/revisions/1').set(auth);
  assert.equal(one.body.text, original);
  const two = await api().get('/api/flows/bootstrap/revisions/2').set(auth);
  assert.match(two.body.diff, new RegExp(`^-    codeSent: ${OLD_SENT}`, 'm'));
  const staleRb = await api()
    .post('/api/flows/bootstrap/rollback')
    .set(auth)
    .send({ to: '1', baseRevision: one.body.revision });
  assert.equal(staleRb.status, 409, 'a rollback against an outdated view of the published flow is refused');
  const rb = await api()
    .post('/api/flows/bootstrap/rollback')
    .set(auth)
    .send({ to: '1', baseRevision: two.body.revision });
  assert.equal(rb.status, 200);
  assert.equal(rb.body.n, 3);
  assert.equal(rb.body.kind, 'rollback');
  assert.equal(rb.body.message, 'roll back to revision 1');
  assert.equal(rb.body.revision, one.body.revision);
  assert.equal(file(), original);
  assert.equal(s.web.flows.get('bootstrap').source, original);
  const again = await api().post('/api/flows/bootstrap/rollback').set(auth).send({ to: one.body.revision });
  assert.equal(again.status, 409);
  assert.equal(
    (await api().post('/api/flows/bootstrap/rollback').set(auth).send({ to: '99' })).body.error.code,
    'FLOW_REVISION_UNKNOWN',
  );
});

test('graph: SVG and Mermaid of any version, every step drawn', async () => {
  const svg = await api()
    .get('/api/flows/bootstrap/graph?version=2')
    .set(auth)
    .buffer(true)
    .parse((res, cb) => {
      let t = '';
      res.on('data', (c: Buffer) => {
        t += c.toString();
      });
      res.on('end', () => cb(null, t));
    });
  assert.match(svg.headers['content-type']!, /^image\/svg\+xml/);
  const text = svg.body as string;
  assert.match(text, /^<svg [^>]*role="img"/);
  for (const id of Object.keys(s.web.flows.get('bootstrap').steps)) assert.ok(text.includes(`data-step="${id}"`), id);
  const mmd = await api().get('/api/flows/bootstrap/graph?format=mermaid').set(auth);
  assert.match(mmd.text, /^flowchart TD/);
  assert.match(mmd.text, /-\.->\|"max attempts"\|/);
  const png = await api().get('/api/flows/bootstrap/graph?format=png').set(auth).buffer(true);
  assert.match(png.headers['content-type']!, /^image\/png/);
  assert.equal((png.body as Buffer).subarray(1, 4).toString(), 'PNG');
  const gif = await api().get('/api/flows/bootstrap/graph?format=gif').set(auth);
  assert.equal(gif.status, 400, 'an unknown format is refused, not answered with SVG');
  const typed = await api()
    .post('/api/flows/bootstrap/graph')
    .set(auth)
    .send({ text: original.replace('next: sendCode', 'next: sendCodeX') })
    .buffer(true);
  assert.equal(typed.status, 200);
  assert.match(String(typed.body), /data-step="sendCodeX"/, 'the text being typed is drawn, missing step and all');
});

test('hand edits on disk: a valid one becomes a revision, an invalid one the draft (and stale console saves conflict)', async () => {
  const seq = await seqNow();
  const edited = original.replace('Welcome to device setup.', 'Welcome!');
  writeFileSync(join(s.dir, '.tmp-edit'), edited);
  renameSync(join(s.dir, '.tmp-edit'), join(s.dir, 'bootstrap.yaml'));
  const revs = (await api().get('/api/flows/bootstrap/revisions').set(auth)).body.revisions;
  assert.deepEqual([revs[0].n, revs[0].kind, revs[0].author.name], [4, 'disk', 'edited on disk']);
  assert.equal(
    (await api().get('/api/flows/bootstrap/revisions').set(auth)).body.revisions.length,
    4,
    'picked up once',
  );

  writeFileSync(join(s.dir, 'bootstrap.yaml'), edited.replace('version: 2', 'version: two'));
  const get = await api().get('/api/flows/bootstrap').set(auth);
  assert.equal(get.body.status, 'draft');
  assert.equal(get.body.draft.author.name, 'edited on disk');
  assert.equal(get.body.problems[0].path, 'version');
  assert.equal(get.body.published.n, 4, 'the invalid text is not a revision');
  const stale = await api().put('/api/flows/bootstrap/draft').set(auth).send({ text: original, seq });
  assert.equal(stale.status, 409, 'the hand edit is not silently overwritten');
  writeFileSync(join(s.dir, 'bootstrap.yaml'), edited);
});

test('a new flow: draft under a new id, publish creates its file and the registry serves it', async () => {
  const text = original.replace('id: bootstrap', 'id: promo');
  const saved = await api().put('/api/flows/promo/draft').set(auth).send({ text, seq: 0 });
  assert.deepEqual(saved.body, { seq: 1, problems: [] });
  assert.equal(
    (await api().get('/api/flows').set(auth)).body.flows.find((f: { id: string }) => f.id === 'promo').status,
    'new',
  );
  const pub = await api().post('/api/flows/promo/publish').set(auth).send({ seq: 1, message: 'new promo line' });
  assert.equal(pub.status, 200);
  assert.equal(readFileSync(join(s.dir, 'promo.yaml'), 'utf8'), text);
  assert.equal(s.web.flows.get('promo').revision, pub.body.revision);
  assert.equal((await api().get('/api/flows/nope').set(auth)).status, 404);
  assert.equal((await api().get('/api/flows/Bad_Id').set(auth)).status, 400);
});

test('the OpenAPI document describes exactly the routes the routers answer', async () => {
  const doc = await api().get('/api/openapi.json');
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, '3.1.0');
  const cookies = new SessionCookies(Buffer.alloc(32), []);
  const routes = (r: Router) =>
    (r.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>)
      .filter((l) => l.route && l.route.path !== '/openapi.json')
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} /api${l.route!.path.replace(/:(\w+)/g, '{$1}')}`));
  const served = [
    ...routes(flowRoutes({ admin: s.admin, cookies, tests: {} as never })),
    ...routes(simRoutes({ sim: null as never, cookies })),
    ...routes(callRoutes({ traces: null as never, admin: s.admin, registry: s.web.flows, cookies })),
  ].sort();
  const described = Object.entries(FLOWS_OPENAPI.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
    .sort();
  assert.deepEqual(served, described);
});
