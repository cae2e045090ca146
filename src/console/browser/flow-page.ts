import { DiagramPane } from './diagram.js';
import { renderDiff } from './diff.js';
import { $, api, el } from './dom.js';
import { createEditor, type FlowEditor, type Problem } from './editor.js';
import { flowTests } from './flow-tests.js';

/** The step whose YAML the cursor is in: the last step key at or above the line. */
function stepAt(lines: Array<[string, number]>, line: number): string | null {
  let best: [string, number] | null = null;
  for (const l of lines) if (l[1] <= line && (!best || l[1] > best[1])) best = l;
  return best?.[0] ?? null;
}

/** A flow's page: editor, live diagram, problems, diff, tests, publish, history. */
export function flowPage(): void {
  const meta = $('#flow-meta');
  const id = meta.dataset.flow!;
  let seq = Number(meta.dataset.seq);
  let base = meta.dataset.base ?? '';
  const ta = $<HTMLTextAreaElement>('#yaml');
  let saved = ta.value;
  let redraw: ReturnType<typeof setTimeout> | undefined;
  let lastProblems: readonly Problem[] = [];
  // Set by a save until the next edit: a validation finishing after the save keeps saying so.
  let justSaved = false;

  const status = (text: string, cls: 'ok' | 'error' | '') => {
    $('#status').textContent = text;
    $('#status').className = cls;
  };
  const renderProblems = (problems: readonly Problem[], prefix?: string) => {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
    $('#problems').replaceChildren(
      ...sorted.map((p) =>
        el(
          'li',
          {},
          el('button', { type: 'button', class: 'goto-line', dataset: { line: String(p.line) } }, `Line ${p.line}`),
          ' ',
          el('code', {}, p.path || '(file)'),
          ' ',
          p.message,
        ),
      ),
    );
    const text = problems.length ? `${problems.length} problem(s).` : 'Valid.';
    status((prefix ? `${prefix} ` : '') + text, problems.length ? 'error' : 'ok');
  };
  const validate = async (text: string): Promise<readonly Problem[]> => {
    const r = await api<{ problems: Problem[] }>('POST', `/api/flows/${id}/validate`, { text });
    if (!r.ok) {
      status(r.data.error?.message ?? `HTTP ${r.status}`, 'error');
      return lastProblems;
    }
    lastProblems = r.data.problems;
    renderProblems(lastProblems, justSaved && text === saved ? 'Draft saved.' : undefined);
    return lastProblems;
  };

  const diagram = new DiagramPane($('#diagram-box'), (_step, line) => {
    if (line) editor.gotoLine(line);
  });
  const draw = async (text: string) => {
    const res = await fetch(`/api/flows/${id}/graph`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (res.ok) {
      diagram.show(await res.text());
      diagram.setCurrent(stepAt(diagram.lines(), editor.cursorLine()));
      $('#diagram-note').textContent = '';
    } else {
      const err = ((await res.json()) as { error?: { message?: string } }).error;
      $('#diagram-note').textContent = `Diagram not redrawn: ${err?.message ?? res.status}`;
    }
  };

  const host = el('div', { id: 'editor', class: 'editor-host' });
  ta.hidden = true;
  ta.after(host);
  const editor: FlowEditor = createEditor(host, ta.value, {
    label: `Flow ${id} YAML`,
    describedBy: 'problems-h',
    validate,
    onChange: (text) => {
      justSaved = false;
      clearTimeout(redraw);
      redraw = setTimeout(() => void draw(text), 500);
    },
    onCursor: (line) => {
      $('#cursor').textContent = `line ${line}`;
      diagram.setCurrent(stepAt(diagram.lines(), line));
    },
  });
  (window as unknown as { bootlineEditor: FlowEditor }).bootlineEditor = editor;
  void draw(ta.value).then(() => diagram.fit());

  const showConflict = (err: { code: string; message: string; diff?: string; seq?: number; published?: string }) => {
    const box = $('#conflict');
    box.replaceChildren(el('p', { class: 'error' }, `${err.code}: ${err.message}`));
    if (err.diff) renderDiff($('#diff'), err.diff);
    if (typeof err.seq === 'number') {
      const reload = el('button', { type: 'button' }, 'Load the current version (discard mine)');
      reload.addEventListener('click', () => location.reload());
      const keep = el('button', { type: 'button' }, 'Keep mine (overwrite theirs)');
      keep.addEventListener('click', async () => {
        seq = err.seq!;
        if (err.published !== undefined) base = err.published || '';
        box.replaceChildren();
        await save();
      });
      box.append(reload, ' ', keep);
    }
    $('#h-diff').scrollIntoView();
  };
  const save = async (): Promise<boolean> => {
    const text = editor.text();
    const r = await api<{ seq: number; problems: Problem[] }>('PUT', `/api/flows/${id}/draft`, { text, seq });
    if (r.status === 409) {
      showConflict(r.data.error);
      status('Not saved: someone else changed this flow.', 'error');
      return false;
    }
    const refused = r.data.error as { problems?: Problem[] } | undefined;
    if (r.status === 422 && refused?.problems) {
      renderProblems(refused.problems, 'Not saved: this is not YAML bootline can read.');
      status('Not saved: this is not YAML bootline can read.', 'error');
      return false;
    }
    if (!r.ok) {
      status(`Not saved: ${r.data.error?.message ?? r.status}`, 'error');
      return false;
    }
    seq = r.data.seq;
    saved = text;
    justSaved = true;
    ($('#discard') as HTMLButtonElement).disabled = false;
    renderProblems(r.data.problems, 'Draft saved.');
    return true;
  };
  const tests = flowTests(id, { saveFirst: async () => editor.text() === saved || (await save()) });

  $('#problems').addEventListener('click', (e) => {
    const b = (e.target as Element).closest<HTMLElement>('.goto-line');
    if (b) editor.gotoLine(Number(b.dataset.line));
  });
  $('#save').addEventListener('click', () => void save());
  $('#fit').addEventListener('click', () => diagram.fit());
  $('#discard').addEventListener('click', async () => {
    if (!confirm('Discard the draft?')) return;
    const r = await api('DELETE', `/api/flows/${id}/draft?seq=${seq}`);
    if (r.ok) location.reload();
    else showConflict(r.data.error);
  });
  $('#show-diff').addEventListener('click', async () => {
    if (editor.text() !== saved && !(await save())) return;
    const r = await api<{ diff: string }>('GET', `/api/flows/${id}/diff?from=published&to=draft`);
    if (!r.ok) $('#diff').textContent = r.data.error.message;
    else if (r.data.diff.split('\n').length > 5) renderDiff($('#diff'), r.data.diff);
    else $('#diff').textContent = 'No differences.';
  });
  $('#publish-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (editor.text() !== saved && !(await save())) return;
    const override = ($('#override') as HTMLInputElement).value.trim();
    const r = await api('POST', `/api/flows/${id}/publish`, {
      seq,
      baseRevision: base || undefined,
      message: ($('#message') as HTMLInputElement).value,
      ...(override ? { testsOverride: override } : {}),
    });
    if (r.ok) {
      location.reload();
      return;
    }
    const err = r.data.error;
    if (err?.code === 'FLOW_TESTS_FAILED') {
      tests.show(err.tests);
      status('Not published: the flow tests fail. Fix them, or give a reason to publish anyway.', 'error');
      $('#override-box').hidden = false;
      $('#override').focus();
    } else if (r.status === 422) renderProblems(err.problems ?? [], 'Not published.');
    else if (r.status === 409) {
      showConflict(err);
      status('Not published: the flow changed; see the diff.', 'error');
    } else status(`Not published: ${err ? err.message : r.status}`, 'error');
  });
  $('#history').addEventListener('click', async (e) => {
    const rb = (e.target as Element).closest<HTMLElement>('.rollback');
    if (rb) {
      if (!confirm(`Publish revision #${rb.dataset.to} again?`)) return;
      const r = await api('POST', `/api/flows/${id}/rollback`, { to: rb.dataset.to, baseRevision: base || undefined });
      if (r.ok) location.reload();
      else showConflict(r.data.error);
      return;
    }
    const sr = (e.target as Element).closest<HTMLElement>('.show-rev');
    if (sr) {
      const r = await api<{ diff: string }>('GET', `/api/flows/${id}/revisions/${sr.dataset.rev}`);
      if (r.ok) renderDiff($('#diff'), r.data.diff);
      else $('#diff').textContent = r.data.error.message;
      $('#diff').focus();
    }
  });
}
