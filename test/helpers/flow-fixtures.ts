import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './paths.js';

/**
 * Voice-flow fixtures (test/fixtures/flows/). `base.yaml` is one whole valid flow; a fixture that
 * differs from it by a few lines is a patch of it, `good/<name>.patch.yaml` or
 * `bad/<name>.patch.yaml`, materialised here as `<name>.yaml`. A patch lists its edits, applied in
 * order to the lines of the base:
 *
 *   edits:
 *     - { line: 'timeout: 8', to: 'timeot: 8' }           the one line holding `line`: that text becomes `to`
 *     - { line: 'onInvalid: { prompt: bad }', drop: true }  removes that line
 *     - { line: 'timeout: 8', add: ['    timeout: 9'] }     inserts whole lines below it
 *     - { after: '  code:', line: 'onMaxAttempts: goodbye', drop: true }
 *                                                           the first line holding `line` below the line `after`
 *   refused: { at: 'timeot: 8', path: steps.number.timeot, message: unknown key "timeot" }
 *
 * `line` must be on exactly one line (below `after`: the first one), and `after` must be exactly
 * one whole line, so an edit of the base that a patch relies on fails loudly here. `refused` (bad
 * fixtures) says what the loader must report: the problem's path, the start of its message, and
 * the line it points at (`at`: the one line that is this text, or else the one that holds it). Whole files (`good/<name>.yaml`) are used as they are.
 */

export interface Refusal {
  /** The line the problem is reported at: the one line that is this text, or else the one that holds it. */
  readonly at: string;
  readonly path: string;
  /** The start of the problem's message. */
  readonly message: string;
}

export interface FlowFixture {
  /** The materialised file's name, as the loader reports it: `<name>.yaml`. */
  readonly name: string;
  readonly text: string;
  /** Bad fixtures: what the loader must report. */
  readonly refused?: Refusal;
}

interface Edit {
  readonly line: string;
  readonly after?: string;
  readonly to?: string;
  readonly drop?: boolean;
  readonly add?: readonly string[];
}

export const flowFixturesDir = join(repoRoot, 'test', 'fixtures', 'flows');
const PATCH = '.patch.yaml';
const EDIT_KEYS = new Set(['line', 'after', 'to', 'drop', 'add']);

/** The 1-based number of the one line of `text` that is `needle`, or else the one line that holds it. */
export function lineOf(text: string, needle: string): number {
  const lines = text.split('\n');
  const whole = lines.flatMap((l, i) => (l === needle ? [i + 1] : []));
  const hits = whole.length > 0 ? whole : lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`"${needle}" is on ${hits.length} lines, not one`);
  return hits[0]!;
}

function applyEdit(lines: string[], e: Edit, where: string): void {
  const bad = Object.keys(e).filter((k) => !EDIT_KEYS.has(k));
  if (typeof e.line !== 'string' || bad.length > 0)
    throw new Error(`${where}: an edit needs line, and knows ${[...EDIT_KEYS]}`);
  let from = 0;
  if (e.after !== undefined) {
    const a = lines.indexOf(e.after);
    if (a < 0 || lines.indexOf(e.after, a + 1) >= 0) throw new Error(`${where}: after "${e.after}" is not one line`);
    from = a + 1;
  }
  const hits = lines.flatMap((l, i) => (i >= from && l.includes(e.line) ? [i] : []));
  if (hits.length === 0 || (e.after === undefined && hits.length > 1))
    throw new Error(`${where}: "${e.line}" is on ${hits.length} lines${hits.length ? '; say which with after' : ''}`);
  const i = hits[0]!;
  if (e.drop) {
    lines.splice(i, 1);
    return;
  }
  if (e.to !== undefined) lines[i] = lines[i]!.replace(e.line, () => e.to!);
  if (e.add) lines.splice(i + 1, 0, ...e.add);
}

/** The base flow with the patch's edits applied. */
function materialise(kind: 'good' | 'bad', file: string): FlowFixture {
  const patch = parse(readFileSync(join(flowFixturesDir, kind, file), 'utf8')) as { edits: Edit[]; refused?: Refusal };
  const lines = readFileSync(join(flowFixturesDir, 'base.yaml'), 'utf8').split('\n');
  for (const [n, e] of patch.edits.entries()) applyEdit(lines, e, `${kind}/${file} edit ${n + 1}`);
  const name = file.slice(0, -PATCH.length) + '.yaml';
  if (kind === 'bad' && !patch.refused) throw new Error(`${kind}/${file}: a bad fixture says what is refused`);
  return { name, text: lines.join('\n'), refused: patch.refused };
}

/** Every good fixture (the base first) or every bad one, materialised. */
export function flowFixtures(kind: 'good' | 'bad'): FlowFixture[] {
  const files = readdirSync(join(flowFixturesDir, kind)).sort();
  const base = { name: 'base.yaml', text: readFileSync(join(flowFixturesDir, 'base.yaml'), 'utf8') };
  return [
    ...(kind === 'good' ? [base] : []),
    ...files.map((f) =>
      f.endsWith(PATCH)
        ? materialise(kind, f)
        : { name: f, text: readFileSync(join(flowFixturesDir, kind, f), 'utf8') },
    ),
  ];
}

/** One fixture by its materialised name, e.g. flowFixture('good', 'agent-escalation.yaml'). */
export function flowFixture(kind: 'good' | 'bad', name: string): FlowFixture {
  const hit = flowFixtures(kind).find((f) => f.name === name);
  if (!hit) throw new Error(`no ${kind} flow fixture ${name}`);
  return hit;
}

/** Writes the fixtures as files, `<dir>/good/*.yaml` and `<dir>/bad/*.yaml`, for what reads flows from disk. */
export function writeFlowFixtures(dir: string): void {
  for (const kind of ['good', 'bad'] as const) {
    mkdirSync(join(dir, kind), { recursive: true });
    for (const f of flowFixtures(kind)) writeFileSync(join(dir, kind, f.name), f.text);
  }
}
