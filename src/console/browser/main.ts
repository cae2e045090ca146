// bootline operator console: the behaviour of the server-rendered pages, one bundle built by
// esbuild from these sources (src/tooling/bundle.mjs). Served as a same-origin file: no inline
// script or handler anywhere, so a strict Content-Security-Policy holds.
import { batchesPage } from './batches-page.js';
import { callPage, callsPage } from './calls-page.js';
import { deadLettersPage } from './dead-letters-page.js';
import { flowPage } from './flow-page.js';
import { homePage } from './home-page.js';
import { simPage } from './sim-page.js';

const PAGES: Record<string, () => void> = {
  home: homePage,
  flow: flowPage,
  sim: simPage,
  calls: callsPage,
  call: callPage,
  batches: batchesPage,
  batch: batchesPage,
  'dead-letters': deadLettersPage,
};

document.addEventListener('DOMContentLoaded', () => {
  PAGES[document.body.dataset.page ?? '']?.();
});
