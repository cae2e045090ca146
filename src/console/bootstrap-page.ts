import type { BootstrapRecord } from '../deliveries/record.js';
import { bootstrapView } from '../deliveries/view.js';
import { html, type Safe } from './html.js';

/** One bootstrap, as the status API shows it (number masked, no PIN or credentials). */
export function bootstrapPage(rec: BootstrapRecord): Safe {
  const v = bootstrapView(rec);
  const times = Object.entries(v.timestamps).filter(([, t]) => t);
  return html`<h1>Bootstrap <code>${v.id}</code> <span class="badge">${v.status}</span></h1>
<p>To ${v.to} · flow ${v.flowId} · round ${v.round} · DM registration ${v.dmRegistered ? 'done' : 'not done'} · \
<a href="/api/bootstraps/${v.id}">JSON</a> · <a href="/console/calls/${v.id.replace(/^bs-/, '')}">the call</a></p>
${v.error ? html`<p class="error">${v.error.code ?? ''} ${v.error.message ?? ''} ${v.error.smscError ?? ''}</p>` : null}
<table class="list"><caption>Timestamps</caption><tbody>${times.map(
    ([k, t]) => html`<tr><th scope="row">${k}</th><td>${t}</td></tr>`,
  )}</tbody></table>
<table class="list"><caption>Segments (${v.segmentCount ?? '?'})</caption>
<thead><tr><th scope="col">#</th><th scope="col">SMSC id</th><th scope="col">Receipt</th></tr></thead>
<tbody>${v.segments.map(
    (s) => html`<tr><td>${s.segment}</td><td>${s.smscId}</td><td>${JSON.stringify(s.receipt)}</td></tr>`,
  )}</tbody></table>`;
}
