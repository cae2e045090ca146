import { $, api } from './dom.js';

/**
 * The event dead letters: "Send again" posts the job id as JSON (same origin, the session
 * cookie), then reloads the list with a note of what was sent.
 */
export function deadLettersPage(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.send-again')) {
    b.addEventListener('click', async () => {
      b.disabled = true;
      const r = await api<{ job: string }>('POST', '/console/dead-letters/retry', { job: b.dataset.job });
      if (r.ok) {
        location.href = `/console/dead-letters?retried=${encodeURIComponent(r.data.job)}`;
        return;
      }
      b.disabled = false;
      $('#dl-error').textContent = r.data.error?.message ?? `HTTP ${r.status}`;
    });
  }
}
