// The self-service page's one script: a same-origin file, as the Content-Security-Policy
// requires (no inline script). Without it the page still works, but for the proof of work.
(() => {
  // ALTCHA's strict-CSP build bundles no workers: PBKDF2 runs in this origin's copy of its worker.
  const altcha = globalThis.$altcha;
  if (altcha?.algorithms)
    for (const alg of ['PBKDF2/SHA-256', 'PBKDF2/SHA-384', 'PBKDF2/SHA-512'])
      altcha.algorithms.set(alg, () => new Worker('/setup/static/altcha-pbkdf2.js'));

  // Live delivery state: asks /setup/state until the push is delivered or has failed.
  const el = document.getElementById('delivery');
  if (!el || el.dataset.final === '1') return;
  const lang = document.documentElement.lang;
  const tick = async () => {
    try {
      const r = await fetch(`/setup/state?lang=${encodeURIComponent(lang)}`, { cache: 'no-store' });
      if (r.ok) {
        const s = await r.json();
        el.textContent = s.text;
        el.dataset.state = s.state;
        if (s.final) {
          el.dataset.final = '1';
          document.querySelector('.refresh')?.remove();
          return;
        }
      }
    } catch {
      // A dropped request is tried again on the next tick.
    }
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1000);
})();
