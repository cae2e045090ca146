/** Renders the lifecycle table (lifecycle.ts, timeline.ts) as docs/reference/lifecycle.md; a test keeps them equal. */
import { FAILURE_CAUSES, STATES, TRANSITIONS } from './lifecycle.js';
import { TIMELINE_EVENTS } from './timeline.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The two HTTP contracts around the lifecycle: the DM server's signal in, the events out. */
const EXTERNAL = [
  '## The enrolment signal (DM server → bootline)',
  '',
  "`POST /api/dm/sessions`, signed exactly like bootline's credential registrations: `x-bootline-timestamp:",
  '<unix seconds>` and `x-bootline-signature: v1=<hex HMAC-SHA256(DM_REGISTER_SECRET, "<timestamp>.<raw body>")>`,',
  'accepted within ±300 s, each signature once (a replay answers `409 SIGNATURE_REPLAYED`). Body:',
  '',
  '```json',
  '{ "serverId": "<DM_SERVER_ID>", "clientName": "<APPSRV AAUTHNAME>", "event": "session-started",',
  '  "at": "2026-12-07T10:00:00Z" }',
  '```',
  '',
  '`event` is `session-started` (→ `enrolled`) or `auth-failed` (→ `failed`, `DM_AUTH_FAILED`, with an optional',
  '`"cause"`, up to 200 printable characters). The answer is `{ "bootstrapId", "state", "changed" }`; a DM server',
  'that gets no 2xx sends the signal again, freshly signed: a repeat changes nothing. `401 SIGNATURE_INVALID`,',
  '`400 BAD_REQUEST` (body, or another server id), `404 BOOTSTRAP_NOT_FOUND` (no bootstrap registered that name).',
  '',
  '## Outbound events (bootline → subscribers)',
  '',
  'Every state event becomes a CloudEvents 1.0 message over HTTP POST: `id` `<bootstrap id>-<seq>` (the same',
  'for every subscriber and every try), `type` `org.bootline.bootstrap.<state>`, `source` `EVENTS_SOURCE`',
  "(default `PUBLIC_BASE_URL`), `subject` the bootstrap id, `time` the event's time, `datacontenttype`",
  '`application/json`, `data` `{ "event": <timeline event>, "bootstrap": <status view, number masked> }`.',
  'Structured mode by default (`application/cloudevents+json`, the whole event in the body), binary mode on',
  'request (`ce-*` headers, the data in the body). Every message carries `x-bootline-timestamp`,',
  '`x-bootline-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` and `x-bootline-event-id`.',
  '2xx accepts; 408, 429, 5xx and network errors are retried with exponential back-off (10 tries from 2 s); any',
  'other 4xx, or the last failed try, is a dead letter (`GET /api/dead-letter`, the dashboard). Delivery is at',
  'least once: drop a repeat by its id.',
  '',
  'Subscribers: `EVENT_SUBSCRIBERS`, a JSON array of `{ "name": "pos-acme", "url": "https://…", "secret":',
  '"≥16 characters", "doors": ["pos"], "references": ["acme-*"], "mode": "structured" }` — `doors` (hotline,',
  'web, pos, batch, network) and `references` (exact, or a prefix ending in `*`) narrow what a subscriber',
  "hears. The contact centre's webhook (`AGENT_WEBHOOK_URL`) is the built-in subscriber `agent`: hotline",
  'bootstraps of calls an agent sent in (reference `agent-<transfer id>`), binary mode, its own body.',
  '',
];

export function renderLifecycleDoc(): string {
  const lines = [
    "# A bootstrap's lifecycle",
    '',
    '<!-- Rendered from src/deliveries/lifecycle.ts and src/deliveries/timeline.ts; test/unit/lifecycle-doc.test.ts',
    '     fails when this file is stale and prints the command that renders it. Do not edit by hand. -->',
    '',
    'Every door (hotline, web page, point of sale, batch, network event) hands a request to the intake;',
    'from there one lifecycle applies. A bootstrap succeeds when the handset opens its first session with',
    'the DM server using what the Bootstrap Message carried (`enrolled`), not when the SMS arrives.',
    '',
    '## States',
    '',
    '| State | Terminal | Meaning |',
    '|---|---|---|',
    ...Object.entries(STATES).map(([s, d]) => `| \`${s}\` | ${d.terminal ? 'yes' : 'no'} | ${cell(d.summary)} |`),
    '',
    '## Transitions',
    '',
    '| From | To | When | Failure causes |',
    '|---|---|---|---|',
    ...TRANSITIONS.map(
      (t) =>
        `| ${t.from.map((f) => `\`${f}\``).join(', ')} | \`${t.to}\` | ${cell(t.on)} | ` +
        `${(t.causes ?? []).map((c) => `\`${c}\``).join(', ') || '—'} |`,
    ),
    '',
    '## Failure causes',
    '',
    'Stable codes: they appear in the status API (`cause.code`, with `cause.detail`), on the timeline and in',
    'the outbound events. New ones may be added; none is renamed or reused.',
    '',
    '| Cause | Ends as | Detail | Meaning |',
    '|---|---|---|---|',
    ...Object.entries(FAILURE_CAUSES).map(
      ([c, d]) => `| \`${c}\` | \`${d.state}\` | ${cell(d.detail) || '—'} | ${cell(d.summary)} |`,
    ),
    '',
    '## Timeline events',
    '',
    'Each bootstrap keeps its events in order (`seq` 1, 2, …, with `at`), appended by the same Redis script',
    'that makes the change. The state events (the states above) are the ones published to event subscribers.',
    '',
    '| Event | Meaning |',
    '|---|---|',
    ...Object.entries(TIMELINE_EVENTS).map(([e, d]) => `| \`${e}\` | ${cell(d)} |`),
    '',
    ...EXTERNAL,
  ];
  return lines.join('\n');
}
