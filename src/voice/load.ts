import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { BootlineError } from '../errors.js';
import { FLOW_HEADER_SCHEMA, type Flow } from './flow.js';
import { STEP_MODULES } from './steps/registry.js';

export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number {
  // Walk up the path until a node with a source range exists (missing keys have none).
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

function refsOf(step: Record<string, unknown>): Array<[string, string]> {
  const refs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(step)) {
    if ((k === 'next' || k.startsWith('on')) && typeof v === 'string') refs.push([k, v]);
  }
  return refs;
}

/** Cross-field checks the schemas cannot express: references, prompts, languages. */
function semanticProblems(flow: Omit<Flow, 'revision' | 'file'>): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  if (!flow.languages[flow.defaultLanguage]) out.push({ path: ['defaultLanguage'], message: `language "${flow.defaultLanguage}" is not declared` });
  if (!flow.steps[flow.start]) out.push({ path: ['start'], message: `no step "${flow.start}"` });
  for (const [id, step] of Object.entries(flow.steps)) {
    for (const [k, target] of refsOf(step as unknown as Record<string, unknown>)) {
      if (!flow.steps[target]) out.push({ path: ['steps', id, k], message: `refers to missing step "${target}"` });
    }
    for (const key of promptKeys(step as unknown as Record<string, unknown>)) {
      for (const lang of Object.keys(flow.languages)) {
        if (!flow.prompts[lang]?.[key.value]) out.push({ path: ['steps', id, ...key.path], message: `prompt "${key.value}" missing in language "${lang}"` });
      }
    }
  }
  return out;
}

function promptKeys(obj: Record<string, unknown>, path: string[] = []): Array<{ value: string; path: string[] }> {
  const out: Array<{ value: string; path: string[] }> = [];
  for (const [k, v] of Object.entries(obj)) {
    if ((k === 'prompt' || k.endsWith('Prompt')) && typeof v === 'string') out.push({ value: v, path: [...path, k] });
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...promptKeys(v as Record<string, unknown>, [...path, k]));
  }
  return out;
}

/**
 * Parses and validates one flow file. Throws FLOW_INVALID with `details.problems`, each
 * naming file, line and path, so an operator sees every mistake at once.
 */
export function parseFlow(file: string, text: string): Flow {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const problems: FlowProblem[] = doc.errors.map((e) => ({
    file, line: e.linePos?.[0]?.line ?? 1, path: '', message: e.message.split('\n')[0] ?? 'YAML error',
  }));
  const fail = () => {
    const lines = problems.map((p) => `${p.file}:${p.line} ${p.path ? p.path + ': ' : ''}${p.message}`);
    throw new BootlineError('FLOW_INVALID', `flow ${file} is invalid:\n  ${lines.join('\n  ')}`, { file, problems });
  };
  const add = (path: PropertyKey[], message: string) =>
    problems.push({ file, line: lineOf(doc, counter, path), path: path.map(String).join('.'), message });
  if (problems.length) fail();

  const addIssues = (base: PropertyKey[], issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code: string; keys?: string[] }>) => {
    for (const i of issues) {
      // Point at the offending key itself, not at the object that holds it.
      if (i.code === 'unrecognized_keys' && i.keys) for (const k of i.keys) add([...base, ...i.path, k], `unknown key "${k}"`);
      else add([...base, ...i.path], i.message);
    }
  };
  const header = FLOW_HEADER_SCHEMA.safeParse(doc.toJS());
  if (!header.success) {
    addIssues([], header.error.issues as never);
    fail();
  }
  const raw = header.data!;
  const steps: Record<string, Flow['steps'][string]> = {};
  for (const [id, step] of Object.entries(raw.steps)) {
    const mod = STEP_MODULES.get(step.type);
    if (!mod) { add(['steps', id, 'type'], `unknown step type "${step.type}"`); continue; }
    const parsed = mod.schema.safeParse(step);
    if (!parsed.success) addIssues(['steps', id], parsed.error.issues as never);
    else steps[id] = parsed.data;
  }
  // References are checked against every declared step, valid or not, so one bad step
  // does not also show up as "missing" wherever it is referenced.
  for (const p of semanticProblems({ ...raw, steps: raw.steps })) add(p.path, p.message);
  const flow = { ...raw, steps };
  if (problems.length) fail();
  return Object.freeze({ ...flow, file, revision: createHash('sha256').update(text).digest('hex').slice(0, 16) });
}
