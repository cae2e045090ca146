import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import { BootlineError } from '../errors.js';
import { flowIssues } from './checks.js';
import { FLOW_HEADER_SCHEMA, type Flow, type StepBase } from './flow.js';
import { STEP_MODULES } from './steps/registry.js';

export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

type Issue = { path: PropertyKey[]; message: string; code?: string; keys?: string[]; issues?: Issue[] };

/**
 * The line of the key (or sequence item) at `path`, walking up while it does not exist; a
 * key's own line, not its value's, so "unknown key" points where the typo is.
 */
function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number {
  for (let n = path.length; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true);
    const last = String(path[n - 1]);
    let node: unknown;
    if (isMap(parent)) node = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last)?.key;
    else if (isSeq(parent)) node = parent.items[Number(last)];
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return isNode(doc.contents) && doc.contents.range ? counter.linePos(doc.contents.range[0]).line : 1;
}

/** "file:line path: message", the form every flow error is shown in (logs, CLI, HTTP). */
export function formatProblem(p: FlowProblem): string {
  return `${p.file}:${p.line} ${p.path ? p.path + ': ' : ''}${p.message}`;
}

export function flowInvalid(file: string, problems: FlowProblem[]): BootlineError {
  return new BootlineError('FLOW_INVALID', `flow ${file} is invalid:\n  ${problems.map(formatProblem).join('\n  ')}`, {
    file,
    problems,
  });
}

/** Revision id: the first 16 hex digits of the file's sha256. */
export function revisionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Parses and validates one flow file. Throws FLOW_INVALID with `details.problems`, each
 * naming file, line and path, so an operator sees every mistake at once. Never returns a
 * half-loaded flow.
 */
export function parseFlow(file: string, text: string): Flow {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const problems: FlowProblem[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line ?? 1,
    path: '',
    message: e.message.split('\n')[0] ?? 'YAML error',
  }));
  if (problems.length) throw flowInvalid(file, problems);
  const add = (path: PropertyKey[], message: string) =>
    problems.push({ file, line: lineOf(doc, counter, path), path: path.map(String).join('.'), message });
  const addIssues = (base: PropertyKey[], issues: readonly Issue[]) => {
    for (const i of issues) {
      // Point at the offending key itself, not at the object that holds it.
      if (i.code === 'unrecognized_keys' && i.keys)
        for (const k of i.keys) add([...base, ...i.path, k], `unknown key "${k}"`);
      // A bad record key (e.g. a step id): the key's own rule says why.
      else if (i.code === 'invalid_key') add([...base, ...i.path], i.issues?.[0]?.message ?? i.message);
      else add([...base, ...i.path], i.message);
    }
  };

  const header = FLOW_HEADER_SCHEMA.safeParse(doc.toJS());
  if (!header.success) {
    addIssues([], header.error.issues as unknown as Issue[]);
    throw flowInvalid(file, problems);
  }
  const raw = header.data;
  const steps: Record<string, StepBase> = {};
  for (const [id, step] of Object.entries(raw.steps)) {
    const mod = STEP_MODULES.get(step.type);
    if (!mod) {
      add(['steps', id, 'type'], `unknown step type "${step.type}" (known: ${[...STEP_MODULES.keys()].join(', ')})`);
      continue;
    }
    const parsed = mod.schema.safeParse(step);
    if (!parsed.success) addIssues(['steps', id], parsed.error.issues as unknown as Issue[]);
    else steps[id] = parsed.data;
  }
  for (const p of flowIssues(raw, steps)) add(p.path, p.message);
  if (problems.length) throw flowInvalid(file, problems);
  return Object.freeze({ ...raw, steps: Object.freeze(steps), file, source: text, revision: revisionOf(text) });
}
