import type { FlowAdmin, FlowSummary, RevisionRecord } from './flows/service.js';
import { originCell } from './bootstrap-page.js';
import { html, type Safe } from './html.js';
import type { recentActivity } from './recent.js';

type Recent = Awaited<ReturnType<typeof recentActivity>>;

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** A table's column headings (a heading may be markup). */
const columns = (...headings: Array<string | Safe>) =>
  html`<thead><tr>${headings.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>`;

// In the templates below, a line ending in `\` goes on in the next one (no newline in the HTML).

/** `insecure`: this page came over plain HTTP to a host that is not localhost, where browsers drop Secure cookies. */
export function loginPage(o: { next: string; error?: string; insecure?: boolean }): Safe {
  return html`<h1>Log in</h1>
<p>Use an <strong>operator</strong> token from <code>API_TOKENS</code> (<code>npm start</code> prints a dev one).</p>
${
  o.insecure
    ? html`<p class="error" role="alert" id="insecure">This page came over plain HTTP. The session cookie is \
<code>Secure</code>, and browsers keep such cookies only over HTTPS (or on <code>localhost</code>): logging in \
cannot work here. Open the console over HTTPS, or as <code>http://localhost</code> through an SSH tunnel.</p>`
    : null
}
${o.error ? html`<p class="error" role="alert" id="login-error">${o.error}</p>` : null}
<form method="post" action="/console/login" class="stack">
  <input type="hidden" name="next" value="${o.next}">
  <label for="name">Your name <span class="hint">(recorded with what you publish)</span></label>
  <input id="name" name="name" autocomplete="name" maxlength="60">
  <label for="token">Operator token</label>
  <input id="token" name="token" type="password" required autocomplete="current-password" maxlength="200" ${
    o.error ? html`aria-describedby="login-error"` : null
  }>
  <button type="submit">Log in</button>
</form>`;
}

function statusBadge(f: FlowSummary): Safe {
  if (f.status === 'published') return html`<span class="badge ok">published</span>`;
  if (f.status === 'error') return html`<span class="badge bad" title="${f.error ?? ''}">cannot be read</span>`;
  const bad = f.draft && !f.draft.valid;
  const label = f.status === 'new' ? 'new, unpublished' : 'draft pending';
  const problems = bad ? html` · ${f.draft!.problems} problem(s)` : null;
  return html`<span class="badge ${bad ? 'bad' : 'draft'}">${label}${problems}</span>`;
}

export function homePage(flows: FlowSummary[], recent: Recent, dashboardPath: string): Safe {
  return html`<h1>Voice flows</h1>
<table class="list">
<caption>Flows in FLOWS_DIR</caption>
${columns('Flow', 'Status', 'Published', 'Draft')}
<tbody>
${flows.map(
  (f) => html`<tr>
  <td><a href="/console/flows/${f.id}">${f.id}</a> <span class="hint">${f.file}</span></td>
  <td>${statusBadge(f)}${
    f.published && f.live && f.live !== f.published.revision
      ? html` <span class="badge bad">this process serves ${f.live}</span>`
      : null
  }</td>
  <td>${
    f.published
      ? html`rev ${f.published.n} (v${f.published.version}) · ${when(f.published.at)} · ${f.published.author.name}`
      : '—'
  }</td>
  <td>${f.draft ? html`${f.draft.author.name} · ${when(f.draft.updatedAt)}` : '—'}</td>
</tr>`,
)}
</tbody>
</table>
<form id="new-flow" class="row" aria-labelledby="h-new">
  <h2 id="h-new" class="inline-h">New flow</h2>
  <label for="new-id">Id</label>
  <input id="new-id" required pattern="[a-z][a-z0-9\-]{0,40}" maxlength="41" placeholder="e.g. promo-line">
  <label for="new-from">Copy of</label>
  <select id="new-from">${flows.map((f) => html`<option value="${f.id}">${f.id}</option>`)}</select>
  <button type="submit">Create draft</button>
</form>
<div id="new-error" role="alert"></div>
<p><a href="/console/sim">Try a flow in the call simulator</a> · \
<a href="/console/calls">Recent calls and their traces</a> · <a href="/console/batches">Batches</a> · \
<a href="/console/dead-letters">Event dead letters</a> · <a href="${dashboardPath}">Queue dashboard</a> · \
<a href="/api/openapi.json">Admin API (OpenAPI)</a></p>
<h2>Calls in progress</h2>
${
  recent.calls === null
    ? html`<p class="error">Could not read calls from Redis.</p>`
    : recent.calls.length === 0
      ? html`<p>None right now.</p>`
      : html`<table class="list" id="calls">
${columns('Call', 'Flow', 'Step', 'Number', 'Bootstrap', 'Started')}
<tbody>${recent.calls.map(
          (c) => html`<tr><td><a href="/console/calls/${c.callSid}">${c.callSid}</a></td>\
<td>${c.flow} <span class="hint">${c.revision}</span></td>\
<td>${c.step}</td><td>${c.number ?? '—'}${c.verified ? ' ✓' : ''}</td><td>${
            c.bootstrapId ? html`<a href="/console/bootstraps/${c.bootstrapId}">${c.bootstrapId}</a>` : '—'
          }</td><td>${when(c.startedAt)}</td></tr>`,
        )}</tbody></table>`
}
<h2>Recent bootstraps</h2>
${
  recent.bootstraps === null
    ? html`<p class="error">Could not read the bootstrap queue.</p>`
    : recent.bootstraps.length === 0
      ? html`<p>None yet.</p>`
      : html`<table class="list" id="bootstraps">
${columns('Bootstrap', 'Door · by', 'To', 'Flow', 'Status', 'Created')}
<tbody>${recent.bootstraps.map(
          (b) => html`<tr><td><a href="/console/bootstraps/${b.id}">${b.id}</a></td>\
<td class="origin">${originCell(b.origin)}</td><td>${b.to}</td><td>${b.flowId || '—'}</td>\
<td><span class="badge">${b.status}</span>${
            b.cause || b.error ? html` <span class="hint">${b.cause?.code ?? b.error?.code}</span>` : null
          }</td>\
<td>${when(b.timestamps.createdAt)}</td></tr>`,
        )}</tbody></table>`
}`;
}

function history(id: string, revs: RevisionRecord[], live: string | null): Safe {
  // A rollback publishes an older text again: the newest record of the live text is the live one.
  const liveN = revs.find((r) => r.revision === live)?.n;
  return html`<table class="list" id="history">
<caption>Revisions, newest first</caption>
${columns('#', 'When', 'Who', 'What', 'Change', html`<span class="sr">Actions</span>`)}
<tbody>${revs.map(
    (r) => html`<tr>
  <td>${r.n}</td><td>${when(r.at)}</td><td>${r.author.name}</td><td>${r.kind}: ${r.message}${
    r.tests ? html` <span class="hint">tests ${r.tests.passed} passed, ${r.tests.failed} failed</span>` : null
  }${
    r.testsOverride ? html` <span class="badge bad">published over failing tests: ${r.testsOverride}</span>` : null
  }</td>\
<td>+${r.added} −${r.removed}</td>
  <td>${
    r.n === liveN
      ? html`<span class="badge ok">live</span>`
      : html`<button type="button" class="rollback" data-flow="${id}" data-to="${r.n}">Roll back to #${r.n}</button>`
  }
    <button type="button" class="show-rev" data-flow="${id}" data-rev="${r.n}">Diff</button></td>
</tr>`,
  )}</tbody></table>`;
}

export function flowPage(admin: FlowAdmin, id: string): Safe {
  const f = admin.get(id);
  const text = f.draftText ?? f.publishedText ?? '';
  const version = f.draftText !== null ? 'draft' : 'published';
  return html`<h1>Flow <code>${id}</code> ${statusBadge(f)}</h1>
<p id="flow-meta" data-flow="${id}" data-seq="${f.seq}" data-base="${f.published?.revision ?? ''}">
  ${
    f.published
      ? html`Published: revision ${f.published.n} (version ${f.published.version}) \
by ${f.published.author.name}, ${when(f.published.at)}.`
      : 'Not published yet.'
  }
  ${f.draft ? html` Draft by ${f.draft.author.name}, ${when(f.draft.updatedAt)}.` : null}
</p>
<div class="cols">
<section aria-labelledby="h-edit" class="editor">
  <h2 id="h-edit">Edit ${f.draftText !== null ? 'the draft' : 'a new draft'}</h2>
  <label for="yaml">Flow YAML <span class="hint" id="cursor" aria-live="off">line 1</span> \
<span class="hint">(Ctrl-Space completes; hover a key for help)</span></label>
  <textarea id="yaml" spellcheck="false" rows="30" maxlength="200000" aria-describedby="problems-h">${text}</textarea>
  <h3 id="problems-h">Validation</h3>
  <div id="status" role="status" aria-live="polite">${
    f.problems.length ? `${f.problems.length} problem(s)` : 'Valid.'
  }</div>
  <ul id="problems">${[...f.problems]
    .sort((a, b) => a.line - b.line)
    .map(
      (p) => html`<li><button type="button" class="goto-line" data-line="${p.line}">Line ${p.line}</button> \
<code>${p.path}</code> ${p.message}</li>`,
    )}</ul>
  <div class="actions">
    <button type="button" id="save">Save draft</button>
    <button type="button" id="discard" ${f.draftText === null ? 'disabled' : null}>Discard draft</button>
    <button type="button" id="show-diff">Diff against published</button>
  </div>
  <h3 id="h-tests">Flow tests <span class="hint">(voice-flows/tests/*.yaml for this flow, run on the draft)</span></h3>
  <button type="button" id="run-tests">Run the tests on this draft</button>
  <div id="tests" aria-live="polite" aria-labelledby="h-tests"></div>
  <form id="publish-form" class="stack">
    <label for="message">Publish message</label>
    <input id="message" maxlength="500" required placeholder="What changed and why">
    <div id="override-box" hidden class="stack">
      <label for="override">Publish although the tests fail, because… \
<span class="hint">(kept in the history)</span></label>
      <input id="override" maxlength="300">
    </div>
    <button type="submit" id="publish">Publish draft</button>
  </form>
</section>
<section aria-labelledby="h-diagram" class="diagram">
  <h2 id="h-diagram">Diagram <span class="hint">(follows the editor; click a step to edit it)</span></h2>
  <p><button type="button" id="fit">Fit to pane</button> ·
     <a id="mermaid-link" href="/api/flows/${id}/graph?version=${version}&amp;format=mermaid">Mermaid text</a> ·
     <a href="/api/flows/${id}/graph?version=${version}&amp;format=png">PNG</a> ·
     <a href="/console/sim?flow=${id}&amp;version=${version}">\
Call this ${f.draftText !== null ? 'draft' : 'version'} in the simulator</a> ·
     <a href="/console/calls?flow=${id}">Calls on this flow</a></p>
  <p id="diagram-note" class="error" role="status"></p>
  <div id="diagram-box" class="diagram-box" role="group" \
aria-label="Diagram of flow ${id}: steps and the keys, retries and exits between them"></div>
</section>
</div>
<section aria-labelledby="h-diff">
  <h2 id="h-diff">Diff</h2>
  <div id="conflict" role="alert"></div>
  <pre id="diff" tabindex="0" aria-label="Diff">Press “Diff against published” to compare.</pre>
</section>
<section aria-labelledby="h-history">
  <h2 id="h-history">History</h2>
  ${history(id, admin.revisions(id), f.live)}
</section>`;
}

export function simPage(flows: FlowSummary[], o: { flow?: string; version?: string }): Safe {
  const pick = o.flow && flows.some((f) => f.id === o.flow) ? o.flow : flows[0]?.id;
  return html`<h1>Call simulator</h1>
<p>Plays Twilio's part of a call: signed webhooks into this bootline, no phone needed. \
Codes and pushes go through the real queue and SMSC.</p>
<form id="sim-start" class="row">
  <label for="sim-flow">Flow</label>
  <select id="sim-flow">${flows.map(
    (f) => html`<option value="${f.id}" ${f.id === pick ? 'selected' : null}>${f.id}</option>`,
  )}</select>
  <label for="sim-version">Version</label>
  <select id="sim-version">
    <option value="published" ${o.version !== 'draft' ? 'selected' : null}>published</option>
    <option value="draft" ${o.version === 'draft' ? 'selected' : null}>draft</option>
  </select>
  <label for="sim-from">Caller ID</label>
  <input id="sim-from" value="" placeholder="a new test number per call" size="24" pattern="\\+[1-9][0-9]{6,14}">
  <button type="submit" id="sim-call">Call</button>
  <label class="inline"><input type="checkbox" id="sim-speak"> Speak prompts</label>
</form>
<div class="cols">
<section aria-labelledby="h-heard">
  <h2 id="h-heard">Call <span id="sim-state" class="badge">idle</span></h2>
  <ol id="transcript" aria-live="polite"></ol>
  <form id="sim-keys" class="stack">
    <label for="keys">Keys to press <span class="hint">(type digits, * and #; Enter sends)</span></label>
    <input id="keys" inputmode="tel" pattern="[0-9*#]{0,32}" maxlength="32" autocomplete="off" disabled>
    <div class="keypad" role="group" aria-label="Keypad">
      ${['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map(
        (k) => html`<button type="button" class="key" data-key="${k}" disabled>${k}</button>`,
      )}
    </div>
    <div class="actions">
      <button type="submit" id="send-keys" disabled>Send keys</button>
      <button type="button" id="silence" disabled>Stay silent</button>
      <button type="button" id="hangup" disabled>Hang up</button>
    </div>
  </form>
  <div id="sim-error" role="alert"></div>
</section>
<section aria-labelledby="h-sms">
  <h2 id="h-sms">SMS accepted by the SMSC</h2>
  <ul id="sms" aria-live="polite"><li>None yet.</li></ul>
  <h2>Bootstrap</h2>
  <p id="bootstrap" aria-live="polite">None queued.</p>
  <p id="sim-trace"></p>
</section>
</div>`;
}
