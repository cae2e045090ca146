import { $, api, el, when } from './dom.js';

/** What the API answers for a run of a flow's tests (see console/flowtests/results.ts). */
export interface TestRun {
  readonly revision: string;
  readonly version: string;
  readonly ranAt: string;
  readonly passed: number;
  readonly failed: number;
  readonly cases: ReadonlyArray<{
    readonly file: string;
    readonly name: string;
    readonly ok: boolean;
    readonly failures: readonly string[];
    readonly callSid: string | null;
    readonly ms: number;
  }>;
}

/** The flow page's tests panel: run the draft's tests, show each case with its failures and its call trace. */
export function flowTests(id: string, o: { saveFirst: () => Promise<boolean> }) {
  const show = (run: TestRun | null) => {
    const box = $('#tests');
    if (!run) {
      box.replaceChildren(el('p', {}, 'Not run for this version yet.'));
      return;
    }
    const head = el(
      'p',
      { class: run.failed ? 'error' : 'ok', id: 'tests-summary' },
      `${run.passed} passed, ${run.failed} failed (${run.version}, revision ${run.revision}, ${when(run.ranAt)})`,
    );
    const list = el(
      'ul',
      { class: 'tests' },
      ...run.cases.map((c) =>
        el(
          'li',
          { class: c.ok ? 'pass' : 'fail' },
          el('span', { class: 'badge' }, c.ok ? 'pass' : 'FAIL'),
          ` ${c.name} `,
          el('span', { class: 'hint' }, `${c.file} · ${c.ms} ms`),
          ...(c.callSid ? [' ', el('a', { href: `/console/calls/${c.callSid}` }, 'trace')] : []),
          ...(c.failures.length ? [el('ul', {}, ...c.failures.map((f) => el('li', {}, f)))] : []),
        ),
      ),
    );
    box.replaceChildren(head, list);
  };
  const run = async () => {
    if (!(await o.saveFirst())) return;
    const btn = $<HTMLButtonElement>('#run-tests');
    btn.disabled = true;
    $('#tests').replaceChildren(el('p', {}, 'Running the flow tests…'));
    try {
      const r = await api<TestRun>('POST', `/api/flows/${id}/tests`, { version: 'draft' });
      if (r.ok) show(r.data);
      else $('#tests').replaceChildren(el('p', { class: 'error' }, r.data.error?.message ?? `HTTP ${r.status}`));
    } finally {
      btn.disabled = false;
    }
  };
  $('#run-tests').addEventListener('click', () => void run());
  void api<{ run: TestRun | null }>('GET', `/api/flows/${id}/tests?version=draft`).then((r) => {
    if (r.ok) show(r.data.run);
  });
  return { show };
}
