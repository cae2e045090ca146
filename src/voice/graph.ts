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
    if (typeof v === 'string' && (k === 'next' || k === 'skipTo' || /^on[A-Z]/.test(k))) out.push({ path: [...path, k], target: v });
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...refsOf(v as Record<string, unknown>, [...path, k]));
  }
  return out;
}

/** Prompt keys a step uses: `prompt` and `<something>Prompt` fields, at any depth. */
export function promptsOf(obj: Readonly<Record<string, unknown>>, path: string[] = []): Ref[] {
  const out: Ref[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && (k === 'prompt' || k.endsWith('Prompt'))) out.push({ path: [...path, k], target: v });
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...promptsOf(v as Record<string, unknown>, [...path, k]));
  }
  return out;
}

/** Where a call can enter the graph: the start, every escape key, the error route, the hand-in start. */
export function roots(flow: FlowForCheck): string[] {
  return [flow.start, ...Object.values(flow.escapes), ...(flow.onError ? [flow.onError.next] : []), ...(flow.handIn ? [flow.handIn.start] : [])];
}

export function reachable(flow: FlowForCheck): Set<string> {
  const seen = new Set<string>();
  const todo = roots(flow).filter((id) => flow.steps[id]);
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const r of refsOf(flow.steps[id] as unknown as Record<string, unknown>)) if (flow.steps[r.target]) todo.push(r.target);
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
