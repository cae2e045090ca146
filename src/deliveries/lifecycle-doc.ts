/** Renders the lifecycle table (lifecycle.ts, timeline.ts) as docs/reference/lifecycle.md; a test keeps them equal. */
import { FAILURE_CAUSES, STATES, TRANSITIONS } from './lifecycle.js';
import { TIMELINE_EVENTS } from './timeline.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

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
  ];
  return lines.join('\n');
}
