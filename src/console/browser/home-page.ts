import { $, $maybe, api } from './dom.js';

/** The flows list: start a new flow as a copy of another. */
export function homePage(): void {
  const form = $maybe('#new-flow');
  if (!form) return;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = $<HTMLInputElement>('#new-id').value.trim();
    if ((await api('GET', `/api/flows/${id}`)).ok) {
      $('#new-error').textContent = `A flow "${id}" exists already.`;
      return;
    }
    const src = await api<{ draftText: string | null; publishedText: string }>(
      'GET',
      `/api/flows/${$<HTMLSelectElement>('#new-from').value}`,
    );
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
