import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { FlowForCheck } from '../../voice/context.js';
import type { FlowProblem } from '../../voice/load.js';

/** What a diagram needs of a flow: its graph, where each step is written, and what is wrong with it. */
export interface DrawableFlow {
  readonly flow: FlowForCheck & { readonly id: string };
  /** Line of each step's key in the text (1-based): a click on a node jumps the editor there. */
  readonly lines: Readonly<Record<string, number>>;
  /** Problems per step id ("" for the ones outside any step). */
  readonly problems: Readonly<Record<string, readonly string[]>>;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/**
 * A flow read as leniently as its YAML allows, so a draft with mistakes still draws: steps
 * keep their raw fields (references are found by name, as the checks do), an unknown step
 * type draws as an action, and every problem is pinned to the step it is about. Null when
 * the text is not YAML at all (the editor shows that error at its line instead).
 */
export function drawableFlow(id: string, text: string, problems: readonly FlowProblem[] = []): DrawableFlow | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length) return null;
  const raw = obj(doc.toJS());
  const steps: Record<string, { type: string }> = {};
  for (const [sid, step] of Object.entries(obj(raw.steps))) steps[sid] = { ...obj(step), type: str(obj(step).type) };
  const lines: Record<string, number> = {};
  const stepsNode = doc.get('steps', true);
  if (isMap(stepsNode))
    for (const item of stepsNode.items)
      if (isScalar(item.key) && item.key.range) lines[String(item.key.value)] = counter.linePos(item.key.range[0]).line;
  const byStep: Record<string, string[]> = {};
  for (const p of problems) {
    const [head, sid = ''] = p.path.split('.');
    const key = head === 'steps' && steps[sid] ? sid : '';
    (byStep[key] ??= []).push(`line ${p.line}: ${p.path ? p.path + ': ' : ''}${p.message}`);
  }
  const onError = obj(raw.onError);
  const handIn = obj(raw.handIn);
  const flow = {
    id: str(raw.id, id),
    version: typeof raw.version === 'number' ? raw.version : 0,
    defaultLanguage: str(raw.defaultLanguage),
    languages: {},
    phone: { defaultRegion: 'ZZ', allowedCountries: [], allowedTypes: [] },
    verification: { skipForAttestedCaller: false },
    escapes: Object.fromEntries(Object.entries(obj(raw.escapes)).map(([k, v]) => [k, str(v)])),
    ...(typeof onError.next === 'string' ? { onError: { prompt: str(onError.prompt), next: onError.next } } : {}),
    ...(typeof handIn.start === 'string' ? { handIn: { start: handIn.start } } : {}),
    start: str(raw.start),
    prompts: {},
    steps,
  } as unknown as FlowForCheck & { id: string };
  return { flow, lines, problems: byStep };
}
