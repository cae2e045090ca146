import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import { BootlineError } from '../errors.js';
import { flowIssues } from './checks.js';
import { FLOW_HEADER_SCHEMA, type Flow, type StepBase } from './flow.js';
import { STEP_MODULES } from './steps/registry.js';
import { documentValues, duplicateKeys } from './yaml-bounds.js';
import { didYouMean } from '../platform/suggest.js';
import { type Issue, issueText, valueAt } from './issue-text.js';
import { flowUnreadable, MAX_ALIAS_COUNT, MAX_EXPANDED_VALUES, readFlowText, textProblems } from './flow-text.js';

export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  /** 1-based, when the problem is at a known place on the line (a YAML syntax error). */
  readonly column?: number;
  readonly path: string;
  readonly message: string;
}

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

/** Problems listed at most: a text of 200,000 characters can hold a hundred thousand mistakes. */
const MAX_PROBLEMS = 100;
/** A problem names what is wrong, not all of it: an unknown key of 100,000 characters is cut. */
const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

/** Revision id: the first 16 hex digits of the file's sha256. */
export function revisionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Reads a flow file (UTF-8, size-bounded: see flow-text.ts) and parses it. Throws FLOW_INVALID
 * like parseFlow, for an unreadable file too.
 */
export function loadFlowFile(file: string): Flow {
  const read = readFlowText(file);
  if ('problem' in read) throw flowUnreadable(file, [read.problem]);
  return parseFlow(file, read.text);
}

/**
 * The YAML document of a flow text, or FLOW_INVALID (unreadable) for a text that is not
 * YAML bootline reads: odd characters, deep nesting, syntax errors, aliases expanding past
 * a bound ("billion laughs"). Nothing the parser throws escapes as anything else.
 */
function readYaml(file: string, text: string): { doc: Document; counter: LineCounter; js: unknown } {
  const early = textProblems(text);
  if (early.length) throw flowUnreadable(file, early);
  const counter = new LineCounter();
  try {
    // Unique keys are checked below, in one pass (flow-text.ts duplicateKeys says why).
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
    // The parser's first line ends "at line L, column C:" before its own excerpt: the place is
    // kept as line and column (the CLI draws the excerpt), the dangling words are not.
    const errors = doc.errors.map((e) => ({
      line: e.linePos?.[0]?.line ?? 1,
      ...(e.linePos?.[0]?.col ? { column: e.linePos[0].col } : {}),
      message: (e.message.split('\n')[0] ?? 'YAML error').replace(/ at line \d+, column \d+:?$/, ''),
    }));
    if (errors.length) throw flowUnreadable(file, errors.slice(0, MAX_PROBLEMS));
    if (documentValues(doc, false) > MAX_EXPANDED_VALUES)
      throw flowUnreadable(file, [{ line: 1, message: `holds more than ${MAX_EXPANDED_VALUES} values` }]);
    if (documentValues(doc, true) > MAX_EXPANDED_VALUES)
      throw flowUnreadable(file, [
        { line: 1, message: `aliases expand to more than ${MAX_EXPANDED_VALUES} values (an alias bomb?)` },
      ]);
    const duplicates = duplicateKeys(doc, counter);
    if (duplicates.length) throw flowUnreadable(file, duplicates);
    return { doc, counter, js: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    if (err instanceof BootlineError) throw err;
    // The yaml package's own guards (excessive aliases, a stack it ran out of).
    throw flowUnreadable(file, [{ line: 1, message: `cannot read the YAML: ${(err as Error).message}` }]);
  }
}

/**
 * Parses and validates one flow file. Throws FLOW_INVALID with `details.problems`, each
 * naming file, line and path, so an operator sees every mistake at once (the first hundred).
 * Never returns a half-loaded flow, never throws anything else.
 */
export function parseFlow(file: string, text: string): Flow {
  const { doc, counter, js } = readYaml(file, text);
  const problems: FlowProblem[] = [];
  const add = (path: PropertyKey[], message: string) => {
    if (problems.length < MAX_PROBLEMS)
      problems.push({
        file,
        line: lineOf(doc, counter, path),
        path: clip(path.map(String).join('.')),
        message: clip(message),
      });
  };
  const addIssues = (base: PropertyKey[], issues: readonly Issue[], known: readonly string[] = []) => {
    for (const i of issues) {
      // Point at the offending key itself, not at the object that holds it.
      if (i.code === 'unrecognized_keys' && i.keys)
        for (const k of i.keys)
          add([...base, ...i.path, k], `unknown key "${k}"${i.path.length === 0 ? didYouMean(k, known) : ''}`);
      // A bad record key (e.g. a step id): the key's own rule says why.
      else if (i.code === 'invalid_key') add([...base, ...i.path], i.issues?.[0]?.message ?? i.message);
      else add([...base, ...i.path], issueText(i, valueAt(js, [...base, ...i.path])));
    }
  };

  try {
    return checkFlow(file, text, js, problems, add, addIssues);
  } catch (err) {
    if (err instanceof BootlineError) throw err;
    throw flowInvalid(file, [
      { file, line: 1, path: '', message: `cannot check this flow: ${(err as Error).message}` },
    ]);
  }
}

/** The keys an object schema accepts (none for other schemas): what an unknown key may be a typo of. */
const keysOf = (schema: unknown) => Object.keys((schema as { shape?: object }).shape ?? {});

type Add = (path: PropertyKey[], message: string) => void;

/** The flow rules over the parsed document: header, each step's own schema, then the graph checks. */
function checkFlow(
  file: string,
  text: string,
  js: unknown,
  problems: FlowProblem[],
  add: Add,
  addIssues: (base: PropertyKey[], issues: readonly Issue[], known?: readonly string[]) => void,
): Flow {
  const header = FLOW_HEADER_SCHEMA.safeParse(js);
  if (!header.success) {
    addIssues([], header.error.issues as unknown as Issue[], Object.keys(FLOW_HEADER_SCHEMA.shape));
    throw flowInvalid(file, problems);
  }
  const raw = header.data;
  const steps: Record<string, StepBase> = {};
  for (const [id, step] of Object.entries(raw.steps)) {
    const mod = STEP_MODULES.get(step.type);
    if (!mod) {
      const near = didYouMean(step.type, STEP_MODULES.keys()) || ` (known: ${[...STEP_MODULES.keys()].join(', ')})`;
      add(['steps', id, 'type'], `unknown step type "${step.type}"${near}`);
      continue;
    }
    const parsed = mod.schema.safeParse(step);
    if (!parsed.success) addIssues(['steps', id], parsed.error.issues as unknown as Issue[], keysOf(mod.schema));
    else steps[id] = parsed.data;
  }
  for (const p of flowIssues(raw, steps)) add(p.path, p.message);
  if (problems.length) throw flowInvalid(file, problems);
  return Object.freeze({ ...raw, steps: Object.freeze(steps), file, source: text, revision: revisionOf(text) });
}
