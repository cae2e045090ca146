import type { Router } from 'express';
import { BootlineError } from '../../errors.js';
import type { FlowTests } from '../flowtests/service.js';
import type { FlowAdmin } from '../flows/service.js';
import { validateFlowText } from '../flows/text.js';
import { body, flowId, ref } from './params.js';

/**
 * GET /flows/:id/tests?version= — the kept run of the flow tests on that version (null when
 * they have not run on it); POST /flows/:id/tests {version} runs them now (sandboxed: no SMS
 * or push leaves bootline) and answers the run.
 */
export function testRoutes(r: Router, admin: FlowAdmin, tests: FlowTests): void {
  r.get('/flows/:id/tests', (req, res) => {
    const id = flowId(req);
    res.json({ run: tests.last(id, admin.textOf(id, ref(req.query.version, 'draft')).text) });
  });
  r.post('/flows/:id/tests', async (req, res) => {
    const id = flowId(req);
    const version = ref(body(req).version, 'draft');
    const { text, label } = admin.textOf(id, version);
    res.json(await tests.run(id, text, label));
  });
}

/**
 * The publish check: the draft's tests must pass, or the operator gives a reason (kept in the
 * history with the revision). Answers what goes into the revision record.
 */
export async function testsGate(
  admin: FlowAdmin,
  tests: FlowTests | undefined,
  id: string,
  override: unknown,
): Promise<{ tests?: { passed: number; failed: number }; testsOverride?: string }> {
  const draft = admin.ids().includes(id) ? admin.get(id).draftText : null;
  // An invalid draft is refused by the publish itself, with its problems.
  if (!tests || draft === null || !validateFlowText(id, draft).valid) return {};
  const run = await tests.resultFor(id, draft, 'draft');
  const summary = { passed: run.passed, failed: run.failed };
  if (!run.failed) return { tests: summary };
  const reason = typeof override === 'string' ? override.trim().slice(0, 300) : '';
  if (!reason)
    throw new BootlineError(
      'FLOW_TESTS_FAILED',
      `${run.failed} flow test(s) fail on this draft; fix them, or publish with a reason ("testsOverride")`,
      { public: { tests: run } },
    );
  return { tests: summary, testsOverride: reason };
}
