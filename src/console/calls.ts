import { BootlineError } from '../errors.js';
import { CALL_OUTCOMES, type CallOutcome, type CallSource, type TraceEvent } from '../voice/trace/events.js';
import type { TraceFilter, TraceStore } from '../voice/trace/store.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const SOURCES: readonly CallSource[] = ['call', 'simulator', 'test'];

/** A CallSid from a path, or 404 (a malformed one is no call of ours). */
export function callSidOf(v: unknown): string {
  if (typeof v !== 'string' || !CALL_SID.test(v)) throw new BootlineError('NOT_FOUND', 'no call with that CallSid');
  return v;
}

const one = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** "2026-12-03T10:00", an ISO time or epoch ms → epoch ms; a bad one is refused with its name. */
function time(name: string, v: unknown): number | undefined {
  const s = one(v);
  if (s === undefined) return undefined;
  const ms = /^\d{10,13}$/.test(s) ? Number(s) : Date.parse(s.length === 16 ? `${s}Z` : s);
  if (Number.isNaN(ms)) throw new BootlineError('BAD_REQUEST', `"${name}" is a time (ISO 8601, UTC) or epoch ms`);
  return ms;
}

/** The list's filters from a query string (the API and the console page share them). */
export function traceFilter(q: Record<string, unknown>): TraceFilter {
  const flow = one(q.flow);
  const revision = one(q.revision);
  const outcome = one(q.outcome);
  const source = one(q.source);
  if (flow && !/^[a-z][a-z0-9-]{0,40}$/.test(flow)) throw new BootlineError('BAD_REQUEST', '"flow" is a flow id');
  if (revision && !/^[0-9a-f]{16}$/.test(revision))
    throw new BootlineError('BAD_REQUEST', '"revision" is a 16-hex revision id');
  if (outcome && !CALL_OUTCOMES.includes(outcome as CallOutcome))
    throw new BootlineError('BAD_REQUEST', `"outcome" is one of ${CALL_OUTCOMES.join(', ')}`);
  if (source && !SOURCES.includes(source as CallSource))
    throw new BootlineError('BAD_REQUEST', `"source" is one of ${SOURCES.join(', ')}`);
  const limit = one(q.limit) === undefined ? 50 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new BootlineError('BAD_REQUEST', '"limit" is 1 to 500');
  const since = time('since', q.since);
  const until = time('until', q.until);
  return {
    ...(flow ? { flow } : {}),
    ...(revision ? { revision } : {}),
    ...(outcome ? { outcome: outcome as CallOutcome } : {}),
    ...(source ? { source: source as CallSource } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    limit,
  };
}

/** The steps a call went through, in order, from its trace (repeats of one step collapsed). */
export function pathOf(events: readonly TraceEvent[]): string[] {
  const path: string[] = [];
  for (const e of events) if (e.kind === 'step' && path.at(-1) !== e.step) path.push(e.step);
  return path;
}

/** A call's trace as the API serves it: meta, events, and the path through the flow. */
export async function callTrace(traces: TraceStore, callSid: string) {
  const trace = await traces.get(callSid);
  if (!trace) throw new BootlineError('NOT_FOUND', 'no trace for that call (never seen, or past CALL_TRACE_DAYS)');
  return { ...trace, path: pathOf(trace.events) };
}
