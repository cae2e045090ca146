import type { batchView } from '../doors/batch/routes.js';
import { ROW_STATES } from '../doors/batch/scripts.js';
import { when } from './bootstrap-page.js';
import { html, type Safe } from './html.js';

export type BatchView = ReturnType<typeof batchView>;

/** The counts a batches list shows, in the order a row goes (pending first, invalid last). */
const COUNTED = ['pending', ...ROW_STATES] as const;

export interface FailedRow {
  readonly row: number;
  readonly to: string | null;
  readonly bootstrapId: string | null;
  readonly error: string | null;
}

const pct = (f: number) => `${Math.round(f * 1000) / 10} %`;

/**
 * A batch's progress: finished rows out of the valid ones, as a native `<progress>` (its own
 * accessible value), with the rows asked for and past the SMSC in words. The browser script
 * refreshes `data-batch` elements from the JSON while the batch runs.
 */
function progressCell(b: BatchView): Safe {
  const live = b.phase === 'running' || b.phase === 'waiting';
  return html`<span class="progress" data-batch="${b.id}" data-live="${live ? '1' : '0'}">\
<progress max="1" value="${b.progress.final}" aria-label="Batch ${b.id}: ${pct(b.progress.final)} finished">\
${pct(b.progress.final)}</progress> <span class="pct">${pct(b.progress.final)}</span> \
<span class="hint">asked ${pct(b.progress.asked)} · sent ${pct(b.progress.sent)}</span></span>`;
}

const countCells = (b: BatchView) =>
  COUNTED.map((s) => html`<td data-count="${s}">${b.counts[s as keyof typeof b.counts] ?? 0}</td>`);

export function batchesPage(batches: readonly BatchView[] | null): Safe {
  return html`<h1>Batches</h1>
<p>Files of rows sent to <code>POST /api/batches</code> (point-of-sale and operator tokens), newest first, \
the latest 50. Submitted by: the token's role and hash prefix. Also as JSON: \
<a href="/api/batches">/api/batches</a>.</p>
${
  batches === null
    ? html`<p class="error">Could not read the batches.</p>`
    : batches.length === 0
      ? html`<p id="no-batches">No batches yet.</p>`
      : html`<table class="list" id="batches"><thead><tr><th scope="col">Batch</th><th scope="col">Door · by</th>\
<th scope="col">Created</th><th scope="col">Phase</th><th scope="col">Rows</th>\
${COUNTED.map((s) => html`<th scope="col">${s}</th>`)}<th scope="col">Progress</th></tr></thead>
<tbody>${batches.map(
          (b) => html`<tr data-batch-row="${b.id}"><td><a href="/console/batches/${b.id}">${b.id}</a></td>\
<td><span class="badge">batch</span> ${b.owner}</td><td class="nowrap">${when(b.createdAt)}</td>\
<td><span class="badge" data-phase-of="${b.id}">${b.phase}</span></td><td>${b.rows.valid} / ${b.rows.total}</td>\
${countCells(b)}<td>${progressCell(b)}</td></tr>`,
        )}</tbody></table>`
}`;
}

/** One batch: its counts and progress, and a page of its failed rows (`after`: the last row of the page before). */
export function batchPage(
  b: BatchView,
  failed: { rows: readonly FailedRow[]; after: number; next: number | null },
  state: string,
): Safe {
  return html`<h1>Batch <code>${b.id}</code> <span class="badge" data-phase-of="${b.id}">${b.phase}</span></h1>
<p>Submitted by ${b.owner} · created ${when(b.createdAt)} · rows ${b.rows.valid} valid of ${b.rows.total} \
(${b.rows.invalid} invalid)${b.doneAt ? html` · done ${when(b.doneAt)}` : null} · \
<a href="/api/batches/${b.id}">JSON</a></p>
<p>${progressCell(b)}</p>
<table class="list" id="counts" data-batch-row="${b.id}"><caption>Rows per state</caption>
<thead><tr>${COUNTED.map((s) => html`<th scope="col">${s}</th>`)}</tr></thead>
<tbody><tr>${countCells(b)}</tr></tbody></table>
<h2 id="h-rows">Rows ${state}</h2>
<form method="get" action="/console/batches/${b.id}" class="filters" aria-labelledby="h-rows">
  <label>State <select name="state">${['failed', 'expired', 'refused', 'invalid'].map(
    (s) => html`<option value="${s}" ${s === state ? 'selected' : null}>${s}</option>`,
  )}</select></label>
  <button type="submit">Show</button>
</form>
${
  failed.rows.length === 0
    ? html`<p id="no-rows">No ${state} rows${failed.after ? ' after this point' : ''}.</p>`
    : html`<table class="list" id="rows"><thead><tr><th scope="col">Row</th><th scope="col">To</th>\
<th scope="col">Bootstrap</th><th scope="col">Error</th></tr></thead>
<tbody>${failed.rows.map(
        (r) =>
          html`<tr><td>${r.row}</td><td>${r.to ?? '—'}</td><td>${
            r.bootstrapId ? html`<a href="/console/bootstraps/${r.bootstrapId}">${r.bootstrapId}</a>` : '—'
          }</td><td>${r.error ?? '—'}</td></tr>`,
      )}</tbody></table>`
}
<p>${failed.after ? html`<a href="/console/batches/${b.id}?state=${state}">First page</a> ` : null}${
    failed.next
      ? html`<a id="next-page" href="/console/batches/${b.id}?state=${state}&amp;after=${failed.next}">\
Next page</a>`
      : null
  }</p>`;
}
