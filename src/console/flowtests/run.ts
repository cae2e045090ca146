import type { FlowProblem } from '../../voice/load.js';
import { validateFlowText } from '../flows/text.js';
import type { Harness } from './harness.js';
import { runCase, type CaseResult } from './runner.js';
import type { TestFile } from './spec.js';

/** One run of a flow's tests on one text of it. */
export interface TestRun {
  readonly flow: string;
  readonly revision: string;
  readonly version: string;
  readonly ranAt: string;
  readonly passed: number;
  readonly failed: number;
  readonly cases: readonly CaseResult[];
  /** Test files that do not parse, and problems of the flow text itself (then nothing ran). */
  readonly problems: readonly string[];
}

/** Runs every case of `files` on the flow `text`, one after the other (a case sets what the SMSC answers). */
export async function runFlowTests(
  h: Harness,
  o: { flow: string; text: string; version: string; files: readonly TestFile[]; problems?: readonly string[] },
): Promise<TestRun> {
  const v = validateFlowText(o.flow, o.text);
  const base = { flow: o.flow, version: o.version, ranAt: new Date().toISOString() };
  if (!v.valid) {
    const problems = v.problems.map((p: FlowProblem) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
    return { ...base, revision: '', passed: 0, failed: 1, cases: [], problems };
  }
  const cases: CaseResult[] = [];
  for (const f of o.files) for (const c of f.cases) cases.push(await runCase(h, v.flow, f.file, c));
  const failed = cases.filter((c) => !c.ok).length + (o.problems?.length ?? 0);
  return {
    ...base,
    revision: v.flow.revision,
    passed: cases.length - cases.filter((c) => !c.ok).length,
    failed,
    cases,
    problems: o.problems ?? [],
  };
}

/** The readable report `bootline flows test` prints. */
export function reportLines(run: TestRun): string[] {
  const out = [`flow ${run.flow} (${run.version}${run.revision ? `, revision ${run.revision}` : ''})`];
  for (const p of run.problems) out.push(`  PROBLEM ${p}`);
  for (const c of run.cases) {
    out.push(`  ${c.ok ? 'pass' : 'FAIL'}  ${c.name}  (${c.file}, ${c.ms} ms, call ${c.callSid ?? '-'})`);
    for (const f of c.failures) out.push(`          ${f}`);
  }
  out.push(`  ${run.passed} passed, ${run.failed} failed`);
  return out;
}
