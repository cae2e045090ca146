#!/usr/bin/env node
// `npm run lint` (and the first step of `npm test`): the checks a change must pass before its
// tests are worth running. Plain JavaScript, like ensure.mjs, so it runs before any build.
//   1. Biome: formatting and lint rules over src/ and test/ (biome.json).
//   2. dependency-cruiser: the layering of src/ (.dependency-cruiser.cjs), no module cycles.
//   3. No import cycle between capability folders (src/<folder>/**, type-only imports included):
//      dependency-cruiser's own folder scope also counts a folder and its sub-folders, which
//      may depend on each other (voice/steps uses voice's context; voice dispatches to steps).
//   4. No line over 120 characters in src/ (Biome wraps code, not strings and comments).
//   5. Code, tests and docs cite specs and public implementations, not the project's task history
//      or files outside the repository: no issue numbers, research-note sections or their path.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const MAX_LINE = 120;
let failed = false;

function step(name, fn) {
  const problems = fn();
  if (problems.length === 0) {
    console.error(`lint: ${name}: ok`);
    return;
  }
  failed = true;
  console.error(`lint: ${name}: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
}

step('biome (format + lint)', () => {
  const r = spawnSync(bin('biome'), ['check', '--colors=off', '--error-on-warnings', '.'], {
    cwd: root,
    encoding: 'utf8',
  });
  return r.status === 0 ? [] : [`${r.stdout}${r.stderr}`.trim(), 'fix with: npx biome check --write .'];
});

const cruise = spawnSync(bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const graph = cruise.stdout ? JSON.parse(cruise.stdout) : { modules: [], summary: { violations: [] } };

step('layering (dependency-cruiser)', () => {
  if (!cruise.stdout) return [`depcruise failed: ${cruise.stderr}`];
  return graph.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
});

/** src/voice/steps/x.ts → voice; src/errors.ts → errors.ts. */
const capability = (path) => path.replace(/^src\//, '').split('/')[0];

step('no cycles between capability folders', () => {
  const edges = new Map();
  for (const m of graph.modules) {
    if (!m.source.startsWith('src/')) continue;
    for (const d of m.dependencies) {
      if (!d.resolved.startsWith('src/')) continue;
      const [a, b] = [capability(m.source), capability(d.resolved)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a).has(b)) edges.get(a).set(b, `${m.source} → ${d.resolved}`);
    }
  }
  const reaches = (from, to, seen = new Set()) => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return [...(edges.get(from)?.keys() ?? [])].some((n) => reaches(n, to, seen));
  };
  const out = [];
  for (const [a, targets] of edges) {
    for (const [b, example] of targets) if (reaches(b, a)) out.push(`${a} → ${b} is part of a cycle (e.g. ${example})`);
  }
  return out;
});

step(`no line over ${MAX_LINE} characters in src/`, () => {
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.split('\n');
  const out = [];
  for (const f of files.filter((x) => /\.(ts|mjs|js|css)$/.test(x))) {
    readFileSync(join(root, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > MAX_LINE) out.push(`${f}:${i + 1}: ${line.length} characters`);
      });
  }
  return out;
});

/** Where citations are checked (README.md joins once its rewrite lands). */
const CITATION_PATHS = ['src', 'test', 'voice-flows', 'docs', 'README.md'];
/** An issue number, a section of the research notes, or their location outside the repository. */
const OUTSIDE_CITATION = /\bissue \d+\b|reference \u00a7|shared\/research/i;

step('citations name specs, not issues or outside files', () => {
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...CITATION_PATHS], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.split('\n');
  const out = [];
  for (const f of files.filter(Boolean)) {
    const bytes = readFileSync(join(root, f));
    if (bytes.includes(0)) continue; // binary vectors
    bytes
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = OUTSIDE_CITATION.exec(line);
        if (m) out.push(`${f}:${i + 1}: "${m[0]}" — cite the spec or implementation it rests on`);
      });
  }
  return out;
});

process.exit(failed ? 1 : 0);
