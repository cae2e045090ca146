import { DiagramPane } from './diagram.js';
import { $, $maybe } from './dom.js';

/** The calls list: the filters form submits as a plain GET; nothing more is needed here. */
export function callsPage(): void {}

/** One call's trace: the timeline beside the diagram of the revision it ran, its path highlighted. */
export function callPage(): void {
  const box = $maybe('#diagram-box');
  const meta = $('#call-meta');
  if (!box) return;
  const path = (meta.dataset.path ?? '').split(' ').filter(Boolean);
  const diagram = new DiagramPane(box, (step) => {
    for (const li of document.querySelectorAll<HTMLElement>('#timeline li'))
      li.classList.toggle('picked', li.dataset.step === step);
    document.querySelector<HTMLElement>(`#timeline li[data-step="${CSS.escape(step)}"]`)?.scrollIntoView({
      block: 'center',
    });
  });
  void fetch(meta.dataset.graph!, { credentials: 'same-origin' }).then(async (res) => {
    if (!res.ok) {
      $('#diagram-note').textContent = 'The diagram of this revision is no longer available.';
      return;
    }
    diagram.show(await res.text());
    diagram.setPath(path);
    diagram.fit();
  });
  $('#timeline').addEventListener('mouseover', (e) => {
    const li = (e.target as Element).closest<HTMLElement>('li[data-step]');
    if (li) diagram.setCurrent(li.dataset.step ?? null);
  });
}
