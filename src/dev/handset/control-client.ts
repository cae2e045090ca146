import type { HandsetOutcome } from './outcome.js';

/** The PIN a caller heard: one reading of what the hotline said, shared with the console's simulator. */
export { pinHeard } from '../../console/simulator/handset.js';

/** Hands the simulated handset the PIN (POST /pin); resolves with how the push ended there. */
export async function enterHandsetPin(
  controlUrl: string,
  pin: string,
  opts: { msisdn?: string; waitMs?: number } = {},
): Promise<HandsetOutcome> {
  const waitMs = opts.waitMs ?? 45_000;
  const res = await fetch(controlUrl.replace(/\/+$/, '') + '/pin', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin, waitMs, ...(opts.msisdn ? { msisdn: opts.msisdn } : {}) }),
    signal: AbortSignal.timeout(waitMs + 30_000),
  });
  const body = (await res.json()) as HandsetOutcome & { error?: string };
  if (res.status !== 200) throw new Error(`handset control answered ${res.status}: ${body.error ?? ''}`);
  return body;
}

/** One line for the caller's transcript. */
export function describeOutcome(o: HandsetOutcome): string {
  const who = `handset ${o.msisdn || '(any)'}`;
  switch (o.outcome) {
    case 'authenticated':
      return `${who}: PIN accepted, DM account ${o.serverId} stored, connected to device management (${o.status})`;
    case 'pin-refused':
      return `${who}: PIN refused (${o.attemptsLeft} tries left): ${o.reason}`;
    case 'auth-failed':
      return `${who}: the DM server refused the credentials (${o.status})`;
    default:
      return `${who}: ${o.outcome}${o.reason ? ': ' + o.reason : ''}`;
  }
}
