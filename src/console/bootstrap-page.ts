import { FAILURE_CAUSES, type FailureCause } from '../deliveries/lifecycle.js';
import type { BootstrapRecord } from '../deliveries/record.js';
import { TIMELINE_EVENTS, type TimelineEvent } from '../deliveries/timeline.js';
import { bootstrapView } from '../deliveries/view.js';
import { html, type Safe } from './html.js';

export const when = (iso: string | null | undefined) =>
  iso
    ? iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
        .replace(/Z$/, ' UTC')
    : '—';

const TERMINAL_BAD = new Set(['failed', 'expired', 'not-enrolled']);

/** The door and its masked actor, as every console list shows them. */
export const originCell = (o: { door: string; by: string; reference?: string | null }) =>
  html`<span class="badge">${o.door}</span> ${o.by || '—'}${
    o.reference ? html` <span class="hint">ref ${o.reference}</span>` : null
  }`;

function causeText(code: FailureCause | undefined, detail: string | undefined): Safe {
  const meaning = code ? (FAILURE_CAUSES[code]?.summary ?? '') : '';
  return html`<code class="cause">${code ?? '?'}</code>${detail ? html` ${detail}` : null}${
    meaning ? html` <span class="hint">${meaning}</span>` : null
  }`;
}

/** One timeline event in words (the stored events hold no number: `by` was masked by its door). */
function describe(e: TimelineEvent): Safe {
  switch (e.event) {
    case 'requested':
      return html`via ${originCell({ door: e.door ?? '?', by: e.by ?? '', reference: e.reference ?? null })}`;
    case 'queued':
      return html`round ${e.round ?? 1}${e.retry ? ' (operator retry)' : ''}`;
    case 'segment-submitted':
    case 'segment-delivered':
      return html`segment ${e.segment ?? '?'} · SMSC id <code>${e.smscId ?? '?'}</code>`;
    case 'segment-failed':
      return html`segment ${e.segment ?? '?'} · receipt ${e.state ?? '?'} err ${e.err ?? '?'}`;
    case 'enrolled':
      return html`the DM server saw the session${e.reportedAt ? html` at ${when(e.reportedAt)}` : null}`;
    case 'failed':
    case 'expired':
    case 'not-enrolled':
      return causeText(e.cause, e.detail ?? e.err);
    default:
      return html`${e.detail ?? ''}`;
  }
}

function timelineTable(events: readonly TimelineEvent[]): Safe {
  if (events.length === 0) return html`<p id="timeline">No timeline recorded for this bootstrap.</p>`;
  const start = Date.parse(events[0]!.at);
  return html`<table class="list timeline" id="timeline"><caption>Timeline</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">+s</th>\
<th scope="col">Event</th><th scope="col">Details</th></tr></thead>
<tbody>${events.map((e) => {
    const bad = TERMINAL_BAD.has(e.event) || e.event === 'segment-failed';
    const cls = bad ? 'bad' : e.event === 'enrolled' || e.event === 'delivered' ? 'ok' : '';
    return html`<tr data-event="${e.event}"><td>${e.seq}</td><td>${when(e.at)}</td>\
<td>${((Date.parse(e.at) - start) / 1000).toFixed(1)}</td>\
<td><span class="badge ${cls}" title="${TIMELINE_EVENTS[e.event] ?? ''}">${e.event}</span></td>\
<td>${describe(e)}</td></tr>`;
  })}</tbody></table>`;
}

/**
 * One bootstrap: its origin (door, masked actor), choices, timeline (requested → verified → PIN
 * issued → DM registration → each segment → enrolled or failed with its cause) and segments.
 * The number as the status API shows it: in full for operators (`reveal`), masked for others.
 * Never the PIN, the IMEI (only its TAC) or the credentials.
 */
export function bootstrapPage(rec: BootstrapRecord, timeline: readonly TimelineEvent[], reveal: boolean): Safe {
  const v = bootstrapView(rec, { reveal });
  const callSid = v.origin.door === 'hotline' ? v.id.replace(/^bs-/, '') : null;
  return html`<h1>Bootstrap <code>${v.id}</code> <span class="badge ${
    v.status === 'enrolled' ? 'ok' : TERMINAL_BAD.has(v.status) ? 'bad' : ''
  }" id="state">${v.status}</span></h1>
<dl class="facts" id="facts">
<dt>To</dt><dd>${v.to}</dd>
<dt>Requested</dt><dd id="origin">${originCell(v.origin)}</dd>
<dt>Profile</dt><dd>${v.profile} · SEC ${v.sec ?? 'default'}${v.tac ? html` · TAC ${v.tac}` : null}</dd>
<dt>Device profile</dt><dd id="device-profile">${v.deviceProfile ?? '—'}</dd>
<dt>Flow · round</dt><dd>${v.flowId || '—'} · ${v.round}</dd>
<dt>DM registration</dt><dd>${v.dmRegistered ? 'done' : 'not done'}</dd>
${v.cause ? html`<dt>Cause</dt><dd id="cause">${causeText(v.cause.code as FailureCause, v.cause.detail)}</dd>` : null}
</dl>
<p><a href="/api/bootstraps/${v.id}">As JSON (status API)</a>${
    callSid ? html` · <a href="/console/calls/${callSid}">the call</a>` : null
  }</p>
${v.error ? html`<p class="error">${v.error.code ?? ''} ${v.error.message ?? ''} ${v.error.smscError ?? ''}</p>` : null}
${timelineTable(timeline)}
<table class="list" id="segments"><caption>Segments (${v.segmentCount ?? '?'})</caption>
<thead><tr><th scope="col">#</th><th scope="col">SMSC id</th><th scope="col">Receipt</th></tr></thead>
<tbody>${v.segments.map(
    (s) =>
      html`<tr><td>${s.segment}</td><td>${s.smscId}</td><td>${
        s.receipt ? `${s.receipt.state} err ${s.receipt.err} · ${when(s.receipt.at)}` : '—'
      }</td></tr>`,
  )}</tbody></table>`;
}
