import type { Say } from './texts.js';

/** Markup already escaped (built by `html`). */
class Safe {
  constructor(readonly value: string) {}
}
type Part = string | number | null | undefined | false | Safe | readonly Part[];
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const render = (v: Part): string =>
  v === null || v === undefined || v === false
    ? ''
    : v instanceof Safe
      ? v.value
      : Array.isArray(v)
        ? v.map(render).join('')
        : escapeHtml(String(v));

/** Tagged template: every interpolated value is escaped unless it is itself `html`. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Safe {
  return new Safe(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

export interface PageContext {
  readonly say: Say;
  readonly lang: string;
  readonly languages: readonly { code: string; name: string }[];
  readonly csrf: string;
}

/**
 * The page frame: one same-origin stylesheet and script (no inline script or style, so the
 * strict Content-Security-Policy holds), the widget's files only when a challenge is shown.
 * Everything works without JavaScript but the proof of work; the script adds live state.
 */
export function layout(c: PageContext, body: Safe, o: { challenge?: boolean } = {}): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${c.say('webTitle')}</title>
<link rel="stylesheet" href="/setup/static/setup.css">
${
  o.challenge
    ? html`<link rel="stylesheet" href="/setup/static/altcha.css">
<script src="/setup/static/altcha.js" defer></script>
${c.lang === 'es' ? html`<script src="/setup/static/altcha-es.js" defer></script>` : null}`
    : null
}
<script src="/setup/static/setup.js" defer></script>
</head>
<body>
<main>
<h1>${c.say('webTitle')}</h1>
<nav aria-label="Language">${c.languages.map((l) =>
      l.code === c.lang
        ? html`<span aria-current="true">${l.name}</span> `
        : html`<a href="/setup?lang=${l.code}" hreflang="${l.code}">${l.name}</a> `,
    )}</nav>
${body}
</main>
</body>
</html>
`.value
  );
}

const message = (text: string | undefined) => (text ? html`<p id="message" role="alert">${text}</p>` : null);
const hidden = (c: PageContext) =>
  html`<input type="hidden" name="csrf" value="${c.csrf}"><input type="hidden" name="lang" value="${c.lang}">`;
/** The proof-of-work widget; its explanation unless the page's message already is it. */
const widget = (c: PageContext, show: boolean, explain: boolean) =>
  show
    ? html`${explain ? html`<p class="challenge">${c.say('webChallenge')}</p>` : null}
<altcha-widget challenge="/setup/challenge" name="altcha" language="${c.lang === 'es' ? 'es-es' : 'en'}"
  configuration='{"hideFooter":true,"hideLogo":true}'></altcha-widget>`
    : null;

export function numberPage(c: PageContext, o: { value?: string; error?: string; challenge?: boolean }): string {
  return layout(
    c,
    html`<p>${c.say('webIntro')}</p>
${message(o.error)}
<form id="number-form" method="post" action="/setup/number">
${hidden(c)}
<label for="number">${c.say('webNumberLabel')}</label>
<input id="number" name="number" type="tel" inputmode="tel" autocomplete="tel" required maxlength="30"
  value="${o.value ?? ''}">
${widget(c, o.challenge ?? false, !o.error)}
<button type="submit">${c.say('webSendCode')}</button>
</form>`,
    { challenge: o.challenge ?? false },
  );
}

export function codePage(
  c: PageContext,
  o: { to: string; error?: string; notice?: string; challenge?: boolean },
): string {
  return layout(
    c,
    html`<p id="sent">${o.notice ?? c.say('codeSent')} <span class="to">${o.to}</span></p>
${message(o.error)}
<form id="code-form" method="post" action="/setup/code">
${hidden(c)}
<label for="code">${c.say('webCodeLabel')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit">${c.say('webCheckCode')}</button>
</form>
<form id="resend-form" method="post" action="/setup/number">
${hidden(c)}<input type="hidden" name="resend" value="1">
${widget(c, o.challenge ?? false, !o.error)}
<button type="submit" class="secondary">${c.say('webResend')}</button>
</form>
${restart(c, 'link')}`,
    { challenge: o.challenge ?? false },
  );
}

const restart = (c: PageContext, cls: string) =>
  html`<form method="post" action="/setup/restart">${hidden(c)}
<button type="submit" class="${cls}">${c.say('webStartAgain')}</button></form>`;

export const FINAL = ['delivered', 'failed', 'expired'];
const STATE_KEY: Record<string, string> = {
  queued: 'webStateQueued',
  submitted: 'webStateSubmitted',
  delivered: 'webStateDelivered',
  failed: 'webStateFailed',
  expired: 'webStateFailed',
};
export const stateText = (say: Say, state: string) => say(STATE_KEY[state] ?? 'webStateQueued');

export function resultPage(c: PageContext, o: { pin?: string; state: string }): string {
  const final = FINAL.includes(o.state);
  return layout(
    c,
    html`${
      o.pin
        ? html`<section id="pin-box" aria-labelledby="pin">
<p id="pin" class="pin">${c.say('pinAgain', { pin: o.pin })}</p>
<p>${c.say('webPinIntro')}</p></section>`
        : null
    }
<p id="delivery" data-state="${o.state}" data-final="${final ? '1' : '0'}"
  role="status" aria-live="polite">${stateText(c.say, o.state)}</p>
${final ? null : html`<p class="refresh"><a href="/setup?lang=${c.lang}">${c.say('webRefresh')}</a></p>`}
${restart(c, 'link')}`,
  );
}

export function noticePage(c: PageContext, text: string): string {
  return layout(
    c,
    html`${message(text)}
${restart(c, '')}`,
  );
}
