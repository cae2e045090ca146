import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowMermaid, flowSvg } from '../../src/console/flows/diagram.js';
import { drawableFlow } from '../../src/console/flows/drawable.js';
import { layoutFlow } from '../../src/console/flows/layout.js';
import { flowPicture } from '../../src/console/flows/picture.js';
import { flowGraph } from '../../src/voice/graph.js';
import { parseFlow } from '../../src/voice/load.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { flowsCli } from '../helpers/cli.js';
import { flowFixture, lineOf } from '../helpers/flow-fixtures.js';
import { repoRoot } from '../helpers/paths.js';

const bootstrapFile = join(repoRoot, 'voice-flows', 'bootstrap.yaml');
const flow = parseFlow(bootstrapFile, readFileSync(bootstrapFile, 'utf8'));

test('flowGraph: every step, labelled branches, retry edges, escape and error entries', () => {
  const { nodes, edges } = flowGraph(flow);
  assert.deepEqual(
    nodes
      .filter((n) => n.kind !== 'entry')
      .map((n) => n.id)
      .sort(),
    Object.keys(flow.steps).sort(),
  );
  const edge = (from: string, label: string) =>
    edges.filter((e) => e.from === from && e.label === label).map((e) => `${e.kind}:${e.to}`);
  assert.deepEqual(edge('(start)', ''), [`start:${flow.start}`]);
  assert.deepEqual(edge('language', 'press 1'), ['option:welcome']);
  assert.deepEqual(edge('number', 'max attempts'), ['retry:giveUp']);
  assert.deepEqual(edge('confirm', 'reenter'), ['next:number']);
  assert.deepEqual(edge('(key 0)', 'any prompt: 0'), ['escape:agent']);
  assert.deepEqual(edge('(error)', 'on error'), ['error:agent']);
  assert.deepEqual(
    edge('number', 'no input / invalid: again (3 tries)'),
    ['retry:number'],
    'retries that ask again are loops',
  );
  assert.equal(nodes.find((n) => n.id === 'agent')?.kind, 'agent', 'agent exits are their own kind');
  assert.ok(
    edges.every((e) => nodes.some((n) => n.id === e.to)),
    'no edge to nowhere',
  );
});

const drawn = (f: typeof flow) => flowSvg(drawableFlow(f.id, f.source)!);

test('SVG and Mermaid carry every step and every labelled edge; text is escaped', async () => {
  const svg = await drawn(flow);
  const mmd = flowMermaid(flow);
  const { edges } = flowGraph(flow);
  for (const id of Object.keys(flow.steps)) {
    assert.ok(svg.includes(`data-step="${id}"`), id);
    assert.ok(mmd.includes(`"${id}<br/>`), id);
  }
  assert.equal((svg.match(/<g class="edge /g) ?? []).length, edges.length);
  assert.equal((mmd.match(/ -(-|\.-)>/g) ?? []).length, edges.length);
  assert.match(svg, /<title id="t">Voice flow bootstrap<\/title>/);
  const tricky = await flowSvg({ ...drawableFlow(flow.id, flow.source)!, flow: { ...flow, id: 'a<b>&"c' } });
  assert.match(tricky, /Voice flow a&lt;b&gt;&amp;&quot;c/);
  const line = flow.source.split('\n').indexOf('  number:') + 1;
  assert.match(svg, new RegExp(`data-step="number" data-line="${line}"`), 'a node knows the line of its step');
});

test('ELK layout: every edge starts on the border of its source and ends on the border of its target', async () => {
  const g = await layoutFlow(drawableFlow(flow.id, flow.source)!);
  const box = new Map(g.nodes.map((n) => [n.id, n]));
  const onBorder = (p: { x: number; y: number }, id: string) => {
    const n = box.get(id)!;
    const inX = p.x >= n.x - 0.5 && p.x <= n.x + n.width + 0.5;
    const inY = p.y >= n.y - 0.5 && p.y <= n.y + n.height + 0.5;
    const edgeX = Math.abs(p.x - n.x) < 0.5 || Math.abs(p.x - n.x - n.width) < 0.5;
    const edgeY = Math.abs(p.y - n.y) < 0.5 || Math.abs(p.y - n.y - n.height) < 0.5;
    return (inX && edgeY) || (inY && edgeX);
  };
  assert.ok(g.edges.length > 40);
  for (const e of g.edges) {
    const [first, last] = [e.points[0]!, e.points.at(-1)!];
    assert.ok(e.points.length >= 2, `${e.from} → ${e.to} is routed`);
    assert.ok(onBorder(first, e.from), `${e.from} → ${e.to} starts on ${e.from}: ${JSON.stringify(first)}`);
    assert.ok(onBorder(last, e.to), `${e.from} → ${e.to} ends on ${e.to}: ${JSON.stringify(last)}`);
  }
  for (const [i, a] of g.nodes.entries())
    for (const b of g.nodes.slice(i + 1))
      assert.ok(
        a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y,
        `${a.id} and ${b.id} do not overlap`,
      );
});

test('a draft with mistakes still draws: problems on their steps, a missing target as its own red node', async () => {
  const text = flow.source
    .replace('    onReenter: number\n', '    onReenter: numbr\n')
    .replace('    timeout: 8\n', '    timeot: 8\n');
  const svg = String((await flowPicture('bootstrap', text, 'svg')).body);
  assert.match(
    svg,
    /<g class="node node-input has-problems" data-step="number" data-line="\d+"><title>line \d+: steps\.number\.timeot: unknown key &quot;timeot&quot;/,
  );
  assert.match(svg, /<g class="node node-missing has-problems" data-step="numbr">/);
  assert.match(svg, /data-from="confirm" data-to="numbr"/);
  await assert.rejects(flowPicture('bootstrap', 'steps: [', 'svg'), /not YAML/);
  await assert.rejects(flowPicture('bootstrap', text, 'mermaid'), /invalid/);
});

test('PNG: the same picture rasterised, twice its size', async () => {
  const svg = String((await flowPicture('bootstrap', flow.source, 'svg')).body);
  const png = (await flowPicture('bootstrap', flow.source, 'png')).body as Buffer;
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const [, sw, sh] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
  assert.deepEqual([w, h], [sw! * 2, sh! * 2]);
});

test('bootline flows graph: by id or file, SVG, PNG or Mermaid; invalid flows list their problems', async () => {
  const byId = await flowsCli(['graph', 'bootstrap', '--format', 'mermaid']);
  assert.equal(byId.code, 0, byId.err);
  assert.equal(byId.out, flowMermaid(flow));
  const dir = mkdtempSync(join(tmpdir(), 'bootline-graph-'));
  try {
    const toFile = await flowsCli(['graph', 'voice-flows/bootstrap.yaml', '-o', join(dir, 'g.svg')]);
    assert.equal(toFile.code, 0);
    assert.equal(readFileSync(join(dir, 'g.svg'), 'utf8'), await drawn(flow));
    const png = await flowsCli(['graph', 'bootstrap', '--format', 'png', '-o', join(dir, 'g.png')]);
    assert.equal(png.code, 0, png.err);
    assert.equal(readFileSync(join(dir, 'g.png')).subarray(1, 4).toString(), 'PNG');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fixture = flowFixture('bad', 'dangling-reference.yaml');
  const badDir = mkdtempSync(join(tmpdir(), 'bootline-graph-'));
  try {
    writeFileSync(join(badDir, fixture.name), fixture.text);
    const bad = await flowsCli(['graph', join(badDir, fixture.name)]);
    assert.equal(bad.code, 1);
    const line = lineOf(fixture.text, 'next: sendCod');
    assert.match(
      bad.err,
      new RegExp(`dangling-reference\\.yaml:${line} steps\\.confirm\\.next: refers to missing step`),
    );
  } finally {
    rmSync(badDir, { recursive: true, force: true });
  }
  assert.equal((await flowsCli(['graph', 'no-such-flow'])).code, 1);
  assert.equal((await flowsCli(['graph', 'bootstrap', '--format', 'png'])).code, 2, 'never a PNG on a terminal');
  assert.equal((await flowsCli(['graph', 'bootstrap', '--format', 'gif'])).code, 2);
});

test('registry previews: a draft is callable only under its one-off id; revisions in memory are bounded', async () => {
  const reg = FlowRegistry.of(flow);
  const draft = parseFlow('draft', flow.source.replace('Welcome to device setup.', 'Draft welcome.'));
  const id = reg.preview(draft);
  assert.match(id, /^sim-[0-9a-f]{16}$/);
  assert.equal(reg.get(id), draft);
  assert.equal(reg.get('bootstrap'), flow, 'the live flow is unchanged');
  assert.equal(await reg.revision('bootstrap', draft.revision), draft, 'a call on the draft finds its revision');
  assert.throws(() => reg.get('sim-0000000000000000'), /no flow/);
  assert.deepEqual(reg.ids(), ['bootstrap']);
  for (let i = 0; i < 100; i++) reg.preview(parseFlow('d', flow.source.replace('version: 2', `version: ${i + 3}`)));
  assert.equal(await reg.revision('bootstrap', draft.revision), null, 'old previews leave memory (no archive here)');
  assert.equal(await reg.revision('bootstrap', flow.revision), flow, 'the live revision always stays');
});

test('bootline flows publish|history|diff|rollback work on FLOWS_DIR and its history, and leave a draft alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-cli-flows-'));
  const run = (args: string[]) => flowsCli(args, { env: { FLOWS_DIR: 'flows' }, cwd: dir });
  try {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'bootstrap.yaml'), flow.source);
    const { FlowAdmin } = await import('../../src/console/flows/service.js');
    const admin = new FlowAdmin({
      flowsDir: join(dir, 'flows'),
      registry: FlowRegistry.fromDirectory(join(dir, 'flows')),
    });
    admin.saveDraft('bootstrap', flow.source + '# work in progress\n', 0, { name: 'Ann', role: 'operator' });

    const edited = flow.source.replace('Welcome to device setup.', 'Welcome from the CLI.');
    writeFileSync(join(dir, 'new.yaml'), edited);
    const pub = await run(['publish', 'bootstrap', 'new.yaml', '-m', 'CLI change', '--author', 'Eve']);
    assert.equal(pub.code, 0, pub.err);
    assert.match(pub.out, /^published bootstrap revision 2 \([0-9a-f]{16}\), \+1 -1$/m);
    assert.equal(readFileSync(join(dir, 'flows', 'bootstrap.yaml'), 'utf8'), edited);
    assert.equal(
      admin.get('bootstrap').draftText,
      flow.source + '# work in progress\n',
      'the console draft is untouched',
    );

    const hist = await run(['history', 'bootstrap']);
    assert.match(hist.out, /^ {2}2 {2}[0-9a-f]{16} {2}\S+ {2}publish {2}Eve: CLI change \(\+1 -1\)\n {2}1 /);
    const diff = await run(['diff', 'bootstrap', '--from', '1', '--to', 'published']);
    assert.match(diff.out, /^\+.*Welcome from the CLI\./m);

    writeFileSync(join(dir, 'bad.yaml'), edited.replace('start: language', 'start: nowhere'));
    const bad = await run(['publish', 'bootstrap', 'bad.yaml', '-m', 'broken']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^FLOW_DRAFT_INVALID: .*\nbootstrap\.yaml:\d+ start: no step "nowhere"$/m);
    assert.equal(readFileSync(join(dir, 'flows', 'bootstrap.yaml'), 'utf8'), edited, 'nothing published');

    const rb = await run(['rollback', 'bootstrap', '1']);
    assert.equal(rb.code, 0, rb.err);
    assert.equal(readFileSync(join(dir, 'flows', 'bootstrap.yaml'), 'utf8'), flow.source);
    assert.equal((await run(['publish', 'bootstrap'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
