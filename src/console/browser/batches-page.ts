import { api } from './dom.js';

interface Progress {
  readonly id: string;
  readonly phase: string;
  readonly counts: Record<string, number>;
  readonly progress: { readonly asked: number; readonly sent: number; readonly final: number };
}

const POLL_MS = 2_000;
const pct = (f: number) => `${Math.round(f * 1000) / 10} %`;

/** Puts one batch's figures into every element that shows them (its progress bar, its counts, its phase). */
function show(b: Progress): void {
  for (const box of document.querySelectorAll<HTMLElement>(`[data-batch="${b.id}"]`)) {
    const bar = box.querySelector('progress');
    if (bar) {
      bar.value = b.progress.final;
      bar.textContent = pct(b.progress.final);
      bar.setAttribute('aria-label', `Batch ${b.id}: ${pct(b.progress.final)} finished`);
    }
    const text = box.querySelector('.pct');
    if (text) text.textContent = pct(b.progress.final);
    const hint = box.querySelector('.hint');
    if (hint) hint.textContent = `asked ${pct(b.progress.asked)} · sent ${pct(b.progress.sent)}`;
  }
  for (const row of document.querySelectorAll<HTMLElement>(`[data-batch-row="${b.id}"]`))
    for (const cell of row.querySelectorAll<HTMLElement>('[data-count]'))
      cell.textContent = String(b.counts[cell.dataset.count ?? ''] ?? 0);
  for (const phase of document.querySelectorAll<HTMLElement>(`[data-phase-of="${b.id}"]`)) phase.textContent = b.phase;
}

/**
 * The batches list and a batch's page: while a batch runs, its progress is read again every
 * two seconds from the console's JSON (the same view as GET /api/batches/{id}) until it is done.
 */
export function batchesPage(): void {
  const live = new Set(
    [...document.querySelectorAll<HTMLElement>('[data-batch][data-live="1"]')].map((e) => e.dataset.batch!),
  );
  const tick = async () => {
    for (const id of [...live]) {
      const r = await api<Progress>('GET', `/console/batches/${id}/progress`);
      if (!r.ok) {
        live.delete(id);
        continue;
      }
      show(r.data);
      if (r.data.phase !== 'running' && r.data.phase !== 'waiting') live.delete(id);
    }
    if (live.size) setTimeout(tick, POLL_MS);
  };
  if (live.size) setTimeout(tick, POLL_MS);
}
