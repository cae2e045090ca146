/** Markup that is already safe (built by `html`). */
export class Safe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

type Part = string | number | boolean | null | undefined | Safe | readonly Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Safe) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: every interpolated value is HTML-escaped unless it is itself `html`. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Safe {
  return new Safe(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

export interface PageOptions {
  readonly title: string;
  readonly page: string;
  readonly user?: string;
  readonly dashboardPath?: string;
}

/**
 * The console's page frame. No inline script or style: one same-origin stylesheet and one
 * script (so a strict Content-Security-Policy holds), a skip link, landmarks, and a nav that
 * works from the keyboard.
 */
export function layout(o: PageOptions, body: Safe): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · bootline console</title>
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/console.js" defer></script>
</head>
<body data-page="${o.page}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">bootline console</span>
  ${
    o.user
      ? html`<nav aria-label="Console">
    <a href="/console">Flows</a>
    <a href="/console/sim">Call simulator</a>
    <a href="/console/calls">Calls</a>
    <a href="/console/batches">Batches</a>
    <a href="/console/dead-letters">Event dead letters</a>
    <a href="${o.dashboardPath ?? '/admin/queues'}">Queue dashboard</a>
  </nav>
  <form method="post" action="/console/logout" class="logout">\
<span>${o.user}</span> <button type="submit">Log out</button></form>`
      : null
  }
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.value
  );
}
