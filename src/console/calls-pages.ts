import { html, type Safe } from './html.js';
import type { TraceEvent, TraceMeta } from '../voice/trace/events.js';
import { CALL_OUTCOMES } from '../voice/trace/events.js';
import type { TraceFilter } from '../voice/trace/store.js';

const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');
const local = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 16));
const seconds = (a: string, b?: string) => (b ? `${((Date.parse(b) - Date.parse(a)) / 1000).toFixed(1)} s` : '—');
const option = (value: string, label: string, selected: boolean) =>
  html`<option value="${value}" ${selected ? 'selected' : null}>${label}</option>`;

function outcomeBadge(o: string | undefined): Safe {
  const cls = o === 'pushed' ? 'ok' : o === 'agent' || o === undefined ? 'draft' : 'bad';
  return html`<span class="badge ${cls}">${o ?? 'in progress'}</span>`;
}

/** The calls list with its filters (a plain GET form: the URL is the query, shareable). */
export function callsPage(calls: readonly TraceMeta[], f: TraceFilter, flows: readonly string[]): Safe {
  return html`<h1>Calls</h1>
<p>Every call's execution trace (Twilio calls, simulated calls, flow tests), newest first. \
Numbers are masked. Also as JSON: <a href="/api/calls">/api/calls</a>.</p>
<form method="get" action="/console/calls" class="filters" aria-label="Filter calls">
  <label>Flow <select name="flow">${option('', 'any', !f.flow)}${flows.map((id) =>
    option(id, id, f.flow === id),
  )}</select></label>
  <label>Revision <input name="revision" value="${f.revision ?? ''}" size="17" pattern="[0-9a-f]{16}"></label>
  <label>Outcome <select name="outcome">${option('', 'any', !f.outcome)}${CALL_OUTCOMES.map((o) =>
    option(o, o, f.outcome === o),
  )}</select></label>
  <label>Source <select name="source">${option('', 'any', !f.source)}${['call', 'simulator', 'test'].map((s) =>
    option(s, s, f.source === s),
  )}</select></label>
  <label>From (UTC) <input type="datetime-local" name="since" value="${local(f.since)}"></label>
  <label>To (UTC) <input type="datetime-local" name="until" value="${local(f.until)}"></label>
  <button type="submit">Filter</button>
</form>
${
  calls.length === 0
    ? html`<p>No calls match.</p>`
    : html`<table class="list" id="calls-list">
<thead><tr><th scope="col">Started</th><th scope="col">Call</th><th scope="col">Flow</th>\
<th scope="col">Source</th><th scope="col">Caller</th><th scope="col">Last step</th><th scope="col">Outcome</th>\
<th scope="col">Bootstrap</th><th scope="col">Length</th></tr></thead>
<tbody>${calls.map(
        (c) => html`<tr><td>${when(c.startedAt)}</td><td><a href="/console/calls/${c.callSid}">${c.callSid}</a></td>\
<td>${c.flow} <span class="hint">${c.revision}</span></td><td>${c.source}${
          c.draft ? html` <span class="badge draft">draft (test caller)</span>` : null
        }</td><td>${c.from || '—'}</td><td>${c.lastStep ?? '—'}</td><td>${outcomeBadge(c.outcome)}</td>\
<td>${c.bootstrapId ? html`<a href="/console/bootstraps/${c.bootstrapId}">${c.bootstrapId}</a>` : '—'}</td>\
<td>${seconds(c.startedAt, c.endedAt)}</td></tr>`,
      )}</tbody></table>`
}`;
}

/** One event of the timeline, in words (numbers and codes are already masked in the trace). */
function describe(e: TraceEvent): Safe | string {
  switch (e.kind) {
    case 'step':
      return html`<strong>${e.step}</strong> <span class="hint">${e.type}</span>`;
    case 'prompt':
      return html`said <code>${e.key}</code> (${e.lang})`;
    case 'keys':
      return e.keys === '' ? 'caller stayed silent' : html`caller pressed <code>${e.keys}</code>`;
    case 'retry':
      return `${e.why === 'noInput' ? 'no input' : 'invalid'}: try ${e.attempt}`;
    case 'branch':
      return html`→ ${e.to}${e.reason ? html` <span class="hint">(${e.reason})</span>` : null}`;
    case 'sms':
      return `code SMS #${e.send} to ${e.to}`;
    case 'push':
      return html`push <a href="/console/bootstraps/${e.bootstrapId}">${e.bootstrapId}</a>: ${e.status}`;
    case 'escalation':
      return html`to an agent: ${e.verb} <code>${e.target}</code> with <code>${JSON.stringify(e.attributes)}</code>`;
    case 'end':
      return html`outcome: ${outcomeBadge(e.outcome)}`;
    default:
      return `${e.kind}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** A call's trace: what happened, when, beside the diagram of the revision it ran with its path lit. */
export function callPage(t: { meta: TraceMeta; events: readonly TraceEvent[]; path: readonly string[] }): Safe {
  const m = t.meta;
  const t0 = Date.parse(m.startedAt);
  return html`<h1>Call <code>${m.callSid}</code> ${outcomeBadge(m.outcome)}</h1>
<p id="call-meta" data-path="${t.path.join(' ')}" data-graph="/api/calls/${m.callSid}/graph">
  Flow <a href="/console/flows/${m.flow}">${m.flow}</a> revision <code>${m.revision}</code> (version ${m.version})\
${m.draft ? html` <span class="badge draft">draft: test caller</span>` : null} · ${m.source} · \
caller ${m.from || '—'} · \
started ${when(m.startedAt)} · ${m.endedAt ? `ended after ${seconds(m.startedAt, m.endedAt)}` : 'in progress'}\
${m.bootstrapId ? html` · bootstrap <a href="/console/bootstraps/${m.bootstrapId}">${m.bootstrapId}</a>` : null}
  · <a href="/api/calls/${m.callSid}">JSON</a>
</p>
<div class="cols">
<section aria-labelledby="h-timeline">
  <h2 id="h-timeline">Timeline</h2>
  <ol id="timeline">${t.events.map(
    (e) =>
      html`<li class="${e.kind}" data-step="${e.step}"><span class="at">+${((e.t - t0) / 1000).toFixed(
        2,
      )} s</span>${describe(e)}</li>`,
  )}</ol>
</section>
<section aria-labelledby="h-path">
  <h2 id="h-path">Path through the flow</h2>
  <p class="hint">${t.path.join(' → ')}</p>
  <p id="diagram-note" class="error" role="status"></p>
  <div id="diagram-box" class="diagram-box" role="group" aria-label="Diagram of the revision this call ran, \
its path highlighted"></div>
</section>
</div>`;
}
