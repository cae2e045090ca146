import type { FlowForCheck } from './context.js';
import { STEP_MODULES } from './steps/registry.js';

export interface Ref {
  readonly path: string[];
  readonly target: string;
}

/**
 * Step references, found by naming convention so every step type follows one rule:
 * `next`, `skipTo` and `on<Something>` hold step ids, directly or as `next` inside a branch
 * object (`onNoInput: { prompt, next }`, menu `options: { "1": { next } }`).
 */
export function refsOf(obj: Readonly<Record<string, unknown>>, path: string[] = []): Ref[] {
  const out: Ref[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && (k === 'next' || k === 'skipTo' || /^on[A-Z]/.test(k)))
      out.push({ path: [...path, k], target: v });
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...refsOf(v as Record<string, unknown>, [...path, k]));
  }
  return out;
}

/** Prompt keys a step uses: `prompt` and `<something>Prompt` fields, at any depth. */
export function promptsOf(obj: Readonly<Record<string, unknown>>, path: string[] = []): Ref[] {
  const out: Ref[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && (k === 'prompt' || k.endsWith('Prompt'))) out.push({ path: [...path, k], target: v });
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...promptsOf(v as Record<string, unknown>, [...path, k]));
  }
  return out;
}

/** Where a call can enter the graph: the start, every escape key, the error route, the hand-in start. */
export function roots(flow: FlowForCheck): string[] {
  return [
    flow.start,
    ...Object.values(flow.escapes),
    ...(flow.onError ? [flow.onError.next] : []),
    ...(flow.handIn ? [flow.handIn.start] : []),
  ];
}

export function reachable(flow: FlowForCheck): Set<string> {
  const seen = new Set<string>();
  const todo = roots(flow).filter((id) => flow.steps[id]);
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const r of refsOf(flow.steps[id] as unknown as Record<string, unknown>))
      if (flow.steps[r.target]) todo.push(r.target);
  }
  return seen;
}

/**
 * Cycles made only of steps that never hand control back to Twilio ("action" steps): such
 * a loop would spin inside one webhook. Returns each cycle once, as the list of its steps.
 */
export function loopsWithoutInput(flow: FlowForCheck): string[][] {
  const isAction = (id: string) => STEP_MODULES.get(flow.steps[id]?.type ?? '')?.kind === 'action';
  const state = new Map<string, 'open' | 'done'>();
  const loops: string[][] = [];
  const visit = (id: string, trail: string[]) => {
    state.set(id, 'open');
    for (const r of refsOf(flow.steps[id] as unknown as Record<string, unknown>)) {
      if (!isAction(r.target)) continue;
      if (state.get(r.target) === 'open') loops.push([...trail.slice(trail.indexOf(r.target)), r.target]);
      else if (!state.has(r.target)) visit(r.target, [...trail, r.target]);
    }
    state.set(id, 'done');
  };
  for (const id of Object.keys(flow.steps)) if (isAction(id) && !state.has(id)) visit(id, [id]);
  return loops;
}

export type EdgeKind = 'next' | 'option' | 'retry' | 'escape' | 'error' | 'start';

export interface GraphNode {
  readonly id: string;
  /** The step type, or `start` / `escape` / `error` for the entry points that are not steps. */
  readonly type: string;
  readonly kind: 'input' | 'wait' | 'action' | 'end' | 'entry' | 'agent';
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly kind: EdgeKind;
}

/** "onMaxAttempts" → "max attempts", ["options","1","next"] → "press 1", ["next"] → "". */
function edgeOf(path: readonly string[]): { label: string; kind: EdgeKind } {
  const [head = '', second = ''] = path;
  if (head === 'options') return { label: `press ${second}`, kind: 'option' };
  if (head === 'next') return { label: '', kind: 'next' };
  if (head === 'skipTo') return { label: 'skip', kind: 'next' };
  const words = head
    .replace(/^on/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { label: words, kind: /^on(NoInput|Invalid|MaxAttempts)$/.test(head) ? 'retry' : 'next' };
}

/**
 * The flow as a graph for diagrams: every step, every reference between steps labelled by
 * what takes it (press 1, no input, invalid, max attempts, no agent…), and the entry points
 * that are not steps (the start, each escape key, the error route) as their own nodes.
 */
export function flowGraph(flow: FlowForCheck): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [{ id: '(start)', type: 'start', kind: 'entry' }];
  const edges: GraphEdge[] = [{ from: '(start)', to: flow.start, label: '', kind: 'start' }];
  for (const [id, step] of Object.entries(flow.steps)) {
    const kind = step.type === 'transfer-to-agent' ? 'agent' : (STEP_MODULES.get(step.type)?.kind ?? 'action');
    nodes.push({ id, type: step.type, kind });
    for (const r of refsOf(step as unknown as Record<string, unknown>))
      edges.push({ from: id, to: r.target, ...edgeOf(r.path) });
    // A retry branch without `next` asks the same step again: drawn as a loop on the step.
    const s = step as unknown as Record<string, { next?: string } | undefined> & { maxAttempts?: number };
    const again = (['onNoInput', 'onInvalid'] as const)
      .filter((b) => s[b] && !s[b]!.next)
      .map((b) => edgeOf([b]).label);
    if (kind === 'input' && again.length)
      edges.push({
        from: id,
        to: id,
        label: `${again.join(' / ')}: again${s.maxAttempts ? ` (${s.maxAttempts} tries)` : ''}`,
        kind: 'retry',
      });
  }
  for (const [key, target] of Object.entries(flow.escapes)) {
    nodes.push({ id: `(key ${key})`, type: 'escape', kind: 'entry' });
    edges.push({ from: `(key ${key})`, to: target, label: `any prompt: ${key}`, kind: 'escape' });
  }
  if (flow.onError) {
    nodes.push({ id: '(error)', type: 'error', kind: 'entry' });
    edges.push({ from: '(error)', to: flow.onError.next, label: 'on error', kind: 'error' });
  }
  return { nodes, edges };
}
