// bootline operator console: progressive behaviour for the server-rendered pages.
// Plain browser JavaScript, no build step, no inline handlers (a strict CSP holds).

const $ = (sel) => document.querySelector(sel);

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  return { ok: res.ok, status: res.status, data };
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---------- flow page ----------
function flowPage() {
  const meta = $('#flow-meta');
  const id = meta.dataset.flow;
  let seq = Number(meta.dataset.seq);
  let base = meta.dataset.base;
  const ta = $('#yaml');
  let saved = ta.value;
  let timer = null;

  const lineStart = (n) => {
    let pos = 0;
    for (let i = 1; i < n; i++) {
      const nl = ta.value.indexOf('\n', pos);
      if (nl < 0) break;
      pos = nl + 1;
    }
    return pos;
  };
  const gotoLine = (n) => {
    const start = lineStart(n);
    const end = ta.value.indexOf('\n', start);
    ta.focus();
    ta.setSelectionRange(start, end < 0 ? ta.value.length : end);
    const lh = ta.scrollHeight / Math.max(1, ta.value.split('\n').length);
    ta.scrollTop = Math.max(0, (n - 5) * lh);
    showCursor();
  };
  const showCursor = () => {
    $('#cursor').textContent = `line ${ta.value.slice(0, ta.selectionStart).split('\n').length}`;
  };

  const renderProblems = (problems, prefix) => {
    const list = $('#problems');
    list.replaceChildren(
      ...problems.map((p) =>
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
    $('#status').textContent =
      (prefix ? prefix + ' ' : '') + (problems.length ? `${problems.length} problem(s).` : 'Valid.');
    $('#status').className = problems.length ? 'error' : 'ok';
  };
  const refreshDiagram = (version) => {
    $('#diagram').src = `/api/flows/${id}/graph?version=${version}&t=${Date.now()}`;
    $('#mermaid-link').href = `/api/flows/${id}/graph?version=${version}&format=mermaid`;
  };
  const validate = async () => {
    const r = await api('POST', `/api/flows/${id}/validate`, { text: ta.value });
    if (r.ok) renderProblems(r.data.problems);
    else $('#status').textContent = r.data.error ? r.data.error.message : `HTTP ${r.status}`;
  };
  const showConflict = (err) => {
    const box = $('#conflict');
    box.replaceChildren(el('p', { class: 'error' }, `${err.code}: ${err.message}`));
    if (err.diff) $('#diff').textContent = err.diff;
    if (typeof err.seq === 'number') {
      const reload = el('button', { type: 'button' }, 'Load the current version (discard mine)');
      reload.addEventListener('click', () => location.reload());
      const keep = el('button', { type: 'button' }, 'Keep mine (overwrite theirs)');
      keep.addEventListener('click', async () => {
        seq = err.seq;
        if (err.published !== undefined) base = err.published || '';
        box.replaceChildren();
        await save();
      });
      box.append(reload, ' ', keep);
    }
    $('#h-diff').scrollIntoView();
  };
  const fail = (text) => {
    $('#status').textContent = text;
    $('#status').className = 'error';
  };
  const save = async () => {
    clearTimeout(timer); // the save answers with the problems; a late validation must not overwrite its message
    const r = await api('PUT', `/api/flows/${id}/draft`, { text: ta.value, seq });
    if (r.status === 409) {
      showConflict(r.data.error);
      fail('Not saved: someone else changed this flow.');
      return false;
    }
    if (r.status === 422 && r.data.error && r.data.error.problems) {
      renderProblems(r.data.error.problems, 'Not saved: this is not YAML bootline can read.');
      $('#status').className = 'error';
      return false;
    }
    if (!r.ok) {
      fail(`Not saved: ${r.data.error ? r.data.error.message : r.status}`);
      return false;
    }
    seq = r.data.seq;
    saved = ta.value;
    $('#discard').disabled = false;
    renderProblems(r.data.problems, 'Draft saved.');
    if (!r.data.problems.length) refreshDiagram('draft');
    return true;
  };

  $('#diagram').addEventListener('error', () => {
    $('#diagram').hidden = true;
    $('#diagram-note').textContent = 'No diagram: this version has problems. Fix them and save to see it.';
  });
  $('#diagram').addEventListener('load', () => {
    $('#diagram').hidden = false;
    $('#diagram-note').textContent = '';
  });
  ta.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  ta.addEventListener('keyup', showCursor);
  ta.addEventListener('click', showCursor);
  $('#problems').addEventListener('click', (e) => {
    const b = e.target.closest('.goto-line');
    if (b) gotoLine(Number(b.dataset.line));
  });
  $('#save').addEventListener('click', save);
  $('#discard').addEventListener('click', async () => {
    if (!confirm('Discard the draft?')) return;
    const r = await api('DELETE', `/api/flows/${id}/draft?seq=${seq}`);
    if (r.ok) location.reload();
    else showConflict(r.data.error);
  });
  $('#show-diff').addEventListener('click', async () => {
    if (ta.value !== saved && !(await save())) return;
    const r = await api('GET', `/api/flows/${id}/diff?from=published&to=draft`);
    $('#diff').textContent = r.ok
      ? r.data.diff.split('\n').length > 5
        ? r.data.diff
        : 'No differences.'
      : r.data.error.message;
  });
  $('#publish-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (ta.value !== saved && !(await save())) return;
    const r = await api('POST', `/api/flows/${id}/publish`, {
      seq,
      baseRevision: base || undefined,
      message: $('#message').value,
    });
    if (r.ok) {
      location.reload();
      return;
    }
    const err = r.data.error;
    if (r.status === 422) renderProblems(err.problems || [], 'Not published.');
    else if (r.status === 409) {
      showConflict(err);
      fail('Not published: the flow changed; see the diff.');
    } else fail(`Not published: ${err ? err.message : r.status}`);
  });
  $('#history').addEventListener('click', async (e) => {
    const rb = e.target.closest('.rollback');
    if (rb) {
      if (!confirm(`Publish revision #${rb.dataset.to} again?`)) return;
      const r = await api('POST', `/api/flows/${id}/rollback`, { to: rb.dataset.to, baseRevision: base || undefined });
      if (r.ok) location.reload();
      else showConflict(r.data.error);
      return;
    }
    const sr = e.target.closest('.show-rev');
    if (sr) {
      const r = await api('GET', `/api/flows/${id}/revisions/${sr.dataset.rev}`);
      $('#diff').textContent = r.ok ? r.data.diff : r.data.error.message;
      $('#diff').focus();
    }
  });
}

// ---------- call simulator ----------
function simPage() {
  let call = null;
  let spoken = 0;
  let poll = null;
  const keysInput = $('#keys');
  const enable = (on) => {
    for (const b of document.querySelectorAll('#sim-keys button, #keys')) b.disabled = !on;
    $('#hangup').disabled = !call;
  };
  const say = (text) => {
    if (!$('#sim-speak').checked || !('speechSynthesis' in window)) return;
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  };
  const render = (v) => {
    call = v.state === 'ended' ? null : v;
    $('#sim-state').textContent = v.state === 'keys' ? 'waiting for keys' : v.state;
    $('#transcript').replaceChildren(
      ...v.lines.map((l) =>
        el('li', { class: l.who }, el('span', { class: 'who' }, l.who === 'caller' ? 'You: ' : 'bootline: '), l.text),
      ),
    );
    v.lines
      .slice(spoken)
      .filter((l) => l.who === 'bootline')
      .forEach((l) => {
        say(l.text);
      });
    spoken = v.lines.length;
    $('#sms').replaceChildren(
      ...(v.texts.length
        ? v.texts.map((t) => el('li', {}, el('strong', {}, `${t.to}: `), t.text))
        : [el('li', {}, 'None yet.')]),
    );
    $('#bootstrap').textContent = v.bootstrap
      ? `${v.bootstrap.id}: ${v.bootstrap.status} (to ${v.bootstrap.to})`
      : 'None queued.';
    enable(v.state === 'keys' || v.state === 'agent');
    if (v.state === 'holding') setTimeout(() => send(''), 1000);
    clearInterval(poll);
    if (call) poll = setInterval(refresh, 1500);
  };
  const fail = (r) => {
    const err = r.data.error || { message: `HTTP ${r.status}` };
    const box = $('#sim-error');
    box.replaceChildren(el('p', { class: 'error' }, err.message));
    if (err.problems)
      box.append(el('ul', {}, ...err.problems.map((p) => el('li', {}, `line ${p.line} ${p.path}: ${p.message}`))));
  };
  const refresh = async () => {
    if (!call) return;
    const r = await api('GET', `/api/sim/calls/${call.id}`);
    if (r.ok) render(r.data);
    else {
      clearInterval(poll);
      call = null;
      enable(false);
    }
  };
  const send = async (digits) => {
    if (!call) return;
    const r = await api('POST', `/api/sim/calls/${call.id}/keys`, { digits });
    if (r.ok) {
      render(r.data);
      keysInput.value = '';
      if (!keysInput.disabled) keysInput.focus();
    } else fail(r);
  };

  // The versions of the chosen flow: published, the draft, then every revision.
  const versions = async () => {
    const r = await api('GET', `/api/flows/${$('#sim-flow').value}/revisions`);
    if (!r.ok) return;
    const keep = $('#sim-version').value;
    const opts = [
      ['published', 'published'],
      ['draft', 'draft'],
      ...r.data.revisions.map((v) => [String(v.n), `revision ${v.n}: ${v.message}`]),
    ];
    $('#sim-version').replaceChildren(
      ...opts.map(([value, label]) => {
        const o = el('option', { value }, label);
        if (value === keep) o.selected = true;
        return o;
      }),
    );
  };
  $('#sim-flow').addEventListener('change', versions);
  versions();
  $('#sim-start').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('#sim-error').replaceChildren();
    if (call) await api('DELETE', `/api/sim/calls/${call.id}`);
    spoken = 0;
    const r = await api('POST', '/api/sim/calls', {
      flow: $('#sim-flow').value,
      version: $('#sim-version').value,
      from: $('#sim-from').value,
    });
    if (r.ok) {
      render(r.data);
      keysInput.focus();
    } else fail(r);
  });
  $('#sim-keys').addEventListener('submit', (e) => {
    e.preventDefault();
    send(keysInput.value);
  });
  $('#silence').addEventListener('click', () => send(''));
  $('#hangup').addEventListener('click', async () => {
    if (!call) return;
    clearInterval(poll);
    await api('DELETE', `/api/sim/calls/${call.id}`);
    call = null;
    $('#sim-state').textContent = 'hung up';
    enable(false);
  });
  document.querySelector('.keypad').addEventListener('click', (e) => {
    const k = e.target.closest('.key');
    if (k && !k.disabled) keysInput.value += k.dataset.key;
  });
}

// ---------- flows list: start a new flow as a copy ----------
function homePage() {
  const form = $('#new-flow');
  if (!form) return;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = $('#new-id').value.trim();
    if ((await api('GET', `/api/flows/${id}`)).ok) {
      $('#new-error').textContent = `A flow "${id}" exists already.`;
      return;
    }
    const src = await api('GET', `/api/flows/${$('#new-from').value}`);
    if (!src.ok) {
      $('#new-error').textContent = src.data.error.message;
      return;
    }
    const text = (src.data.draftText ?? src.data.publishedText).replace(/^id:.*$/m, `id: ${id}`);
    const r = await api('PUT', `/api/flows/${id}/draft`, { text, seq: 0 });
    if (r.ok) location.href = `/console/flows/${id}`;
    else $('#new-error').textContent = r.status === 409 ? `A flow "${id}" exists already.` : r.data.error.message;
  });
}

document.addEventListener('DOMContentLoaded', () => {
  const page = document.body.dataset.page;
  if (page === 'home') homePage();
  if (page === 'flow') flowPage();
  if (page === 'sim') simPage();
});
