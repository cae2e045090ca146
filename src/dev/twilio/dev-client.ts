import { setTimeout as sleep } from 'node:timers/promises';
import type { Redirect } from './calls.js';

/**
 * How a `bootline call` in another process takes part in hand-ins against the dev stack's
 * Twilio stand-in: it registers its CallSid (so Calls update knows the call) and polls for
 * the URL an agent's hand-in redirected it to.
 */
export async function registerDevCall(standInUrl: string, callSid: string): Promise<void> {
  const res = await fetch(`${standInUrl}/dev/calls`, {
    method: 'POST',
    body: new URLSearchParams({ CallSid: callSid }),
  });
  if (res.status !== 201) throw new Error(`Twilio stand-in refused the call registration: HTTP ${res.status}`);
}

export async function waitForRedirect(standInUrl: string, callSid: string, timeoutMs: number): Promise<Redirect> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const res = await fetch(`${standInUrl}/dev/calls/${callSid}/next`);
    if (res.status === 200) return (await res.json()) as Redirect;
    await res.body?.cancel();
    await sleep(200);
  }
  throw new Error(`no hand-in for ${callSid} within ${Math.round(timeoutMs / 1000)} s`);
}
