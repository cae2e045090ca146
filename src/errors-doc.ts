/** Renders the error catalogue (errors.ts) as docs/reference/errors.md; test/unit/errors-doc.test.ts checks it. */
import { ERROR_CATALOGUE } from './errors.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

const RETRY: Record<string, string> = {
  retry: 'BullMQ tries the job again (back-off)',
  permanent: 'the job fails at once (`UnrecoverableError`); a web request is answered with the status',
  throttle: 'not a failure: the job waits under a rate limit and runs again',
};

export function renderErrorsDoc(): string {
  return [
    '# Errors',
    '',
    '<!-- Rendered from ERROR_CATALOGUE (src/errors.ts) by `npm run docs`; test/unit/errors-doc.test.ts',
    '     fails when this file is stale. Do not edit by hand. -->',
    '',
    'Every error that crosses a module boundary is a `BootlineError` with a stable code. HTTP answers carry it',
    'as `{"error": {"code": "…", "message": "…"}}` with the status below; logs, CLI messages and the status',
    'API use the same codes. Codes are a contract: new ones are added, none is renamed or reused. Codec errors',
    'about bytes carry `details.offset`.',
    '',
    'The "Worker" column says what a push job does when the error ends an attempt:',
    '',
    ...Object.entries(RETRY).map(([k, v]) => `- \`${k}\`: ${v}.`),
    '',
    '| Code | HTTP | Worker | Meaning |',
    '|---|---|---|---|',
    ...Object.entries(ERROR_CATALOGUE).map(
      ([code, e]) => `| \`${code}\` | ${e.http} | ${e.retry} | ${cell(e.summary)} |`,
    ),
    '',
  ].join('\n');
}
