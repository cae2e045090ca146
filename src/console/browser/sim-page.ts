import { $, api, el } from './dom.js';

interface SimView {
  readonly id: string;
  readonly callSid: string;
  readonly state: string;
  readonly lines: ReadonlyArray<{ who: string; text: string }>;
  readonly texts: ReadonlyArray<{ to: string; text: string }>;
  readonly bootstrap: { id: string; status: string; to: string } | null;
  /** What the simulated handset does; null when the console has no simulated handsets (HANDSET_CONTROL_URL). */
  readonly handset: string | null;
}

/** The handset choice, beside the Call button; shown once the console says it drives simulated handsets. */
function handsetChoice(): HTMLSelectElement {
  const select = el(
    'select',
    { id: 'sim-handset', title: "What the simulated handset does once the settings arrive (the dev stack's handsets)" },
    el('option', { value: 'enrolled' }, 'connects'),
    el('option', { value: 'auth-failed' }, 'fails sign-in'),
    el('option', { value: 'not-enrolled' }, 'never connects'),
  ) as HTMLSelectElement;
  const label = el('label', { for: 'sim-handset' }, 'Handset');
  for (const e of [label, select]) e.hidden = true;
  $('#sim-call').before(label, select);
  return select;
}

/** The call simulator: start a call on a flow version, press keys, read and hear the prompts. */
export function simPage(): void {
  let call: SimView | null = null;
  let spoken = 0;
  let poll: ReturnType<typeof setInterval> | undefined;
  const keysInput = $<HTMLInputElement>('#keys');
  const handset = handsetChoice();
  const enable = (on: boolean) => {
    for (const b of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('#sim-keys button, #keys'))
      b.disabled = !on;
    $<HTMLButtonElement>('#hangup').disabled = !call;
  };
  const say = (text: string) => {
    if (!$<HTMLInputElement>('#sim-speak').checked || !('speechSynthesis' in window)) return;
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  };
  const render = (v: SimView) => {
    call = v.state === 'ended' ? null : v;
    if (v.handset !== null) for (const e of [handset, handset.labels?.[0]]) if (e) e.hidden = false;
    $('#sim-state').textContent = v.state === 'keys' ? 'waiting for keys' : v.state;
    $('#transcript').replaceChildren(
      ...v.lines.map((l) =>
        el('li', { class: l.who }, el('span', { class: 'who' }, l.who === 'caller' ? 'You: ' : 'bootline: '), l.text),
      ),
    );
    for (const l of v.lines.slice(spoken)) if (l.who === 'bootline') say(l.text);
    spoken = v.lines.length;
    $('#sms').replaceChildren(
      ...(v.texts.length
        ? v.texts.map((t) => el('li', {}, el('strong', {}, `${t.to}: `), t.text))
        : [el('li', {}, 'None yet.')]),
    );
    $('#bootstrap').replaceChildren(
      ...(v.bootstrap
        ? [
            el('a', { href: `/console/bootstraps/${v.bootstrap.id}` }, v.bootstrap.id),
            `: ${v.bootstrap.status} (to ${v.bootstrap.to})`,
          ]
        : ['None queued.']),
    );
    $('#sim-trace').replaceChildren(el('a', { href: `/console/calls/${v.callSid}` }, 'Trace of this call'));
    enable(v.state === 'keys' || v.state === 'agent');
    if (v.state === 'holding') setTimeout(() => void send(''), 1000);
    clearInterval(poll);
    if (call) poll = setInterval(() => void refresh(), 1500);
  };
  const fail = (r: {
    status: number;
    data: { error?: { message: string; problems?: Array<Record<string, string>> } };
  }) => {
    const err = r.data.error ?? { message: `HTTP ${r.status}` };
    const box = $('#sim-error');
    box.replaceChildren(el('p', { class: 'error' }, err.message));
    if (err.problems)
      box.append(el('ul', {}, ...err.problems.map((p) => el('li', {}, `line ${p.line} ${p.path}: ${p.message}`))));
  };
  const refresh = async () => {
    if (!call) return;
    const r = await api<SimView>('GET', `/api/sim/calls/${call.id}`);
    if (r.ok) render(r.data);
    else {
      clearInterval(poll);
      call = null;
      enable(false);
    }
  };
  const send = async (digits: string) => {
    if (!call) return;
    const r = await api<SimView>('POST', `/api/sim/calls/${call.id}/keys`, { digits });
    if (r.ok) {
      render(r.data);
      keysInput.value = '';
      if (!keysInput.disabled) keysInput.focus();
    } else fail(r);
  };
  // The versions of the chosen flow: published, the draft, then every revision.
  const versions = async () => {
    const r = await api<{ revisions: Array<{ n: number; message: string }> }>(
      'GET',
      `/api/flows/${$<HTMLSelectElement>('#sim-flow').value}/revisions`,
    );
    if (!r.ok) return;
    const keep = $<HTMLSelectElement>('#sim-version').value;
    const opts = [
      ['published', 'published'],
      ['draft', 'draft'],
      ...r.data.revisions.map((v) => [String(v.n), `revision ${v.n}: ${v.message}`]),
    ];
    $('#sim-version').replaceChildren(
      ...opts.map(([value, label]) => {
        const o = el('option', { value: value! }, label!) as HTMLOptionElement;
        if (value === keep) o.selected = true;
        return o;
      }),
    );
  };
  $('#sim-flow').addEventListener('change', () => void versions());
  void versions();
  $('#sim-start').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('#sim-error').replaceChildren();
    if (call) await api('DELETE', `/api/sim/calls/${call.id}`);
    spoken = 0;
    const r = await api<SimView>('POST', '/api/sim/calls', {
      flow: $<HTMLSelectElement>('#sim-flow').value,
      version: $<HTMLSelectElement>('#sim-version').value,
      from: $<HTMLInputElement>('#sim-from').value,
      handset: handset.value,
    });
    if (r.ok) {
      render(r.data);
      keysInput.focus();
    } else fail(r);
  });
  $('#sim-keys').addEventListener('submit', (e) => {
    e.preventDefault();
    void send(keysInput.value);
  });
  $('#silence').addEventListener('click', () => void send(''));
  $('#hangup').addEventListener('click', async () => {
    if (!call) return;
    clearInterval(poll);
    await api('DELETE', `/api/sim/calls/${call.id}`);
    call = null;
    $('#sim-state').textContent = 'hung up';
    enable(false);
  });
  $('.keypad').addEventListener('click', (e) => {
    const k = (e.target as Element).closest<HTMLButtonElement>('.key');
    if (k && !k.disabled) keysInput.value += k.dataset.key;
  });
}
