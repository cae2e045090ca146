import type { Logger } from '../../platform/logger.js';

/**
 * What a simulated caller's handset does with the settings, as chosen in the console: type the
 * PIN and connect (`enrolled`), type it into a handset whose account presents wrong credentials
 * (`auth-failed`), or leave the phone alone (`not-enrolled`: the wait runs to its timeout).
 */
export const HANDSET_CHOICES = ['enrolled', 'auth-failed', 'not-enrolled'] as const;
export type HandsetChoice = (typeof HANDSET_CHOICES)[number];

/** How long the handset waits for the push after the PIN was typed (the push follows the PIN). */
const PUSH_WAIT_MS = 60_000;

/**
 * The PIN a caller heard, read from what the hotline said ("Your PIN is 1 2 3, 4 5 6."): the
 * digits after the word PIN, spoken one by one with pauses. Undefined when no turn says one.
 */
export function pinHeard(says: readonly string[]): string | undefined {
  for (const s of says) {
    const m = /\bPIN\b\D{0,20}?(\d(?:[\s,.]{0,3}\d){3,39})/.exec(s);
    if (m) return m[1]!.replace(/\D/g, '');
  }
  return undefined;
}

/**
 * The simulated handsets' control API (HANDSET_CONTROL_URL, which the dev stack sets) seen
 * from the console's call simulator: the caller types the PIN heard into the handset the push
 * went to, which checks the message and opens its DM session; the DM server's report then
 * ends the caller's wait (wait-for-enrolment). Fire and forget: the handset waits for the push
 * while the call holds, and the call hears the outcome from bootline, not from here.
 */
export class HandsetControl {
  constructor(
    private readonly url: string,
    private readonly logger?: Logger,
  ) {}

  use(msisdn: string, pin: string, choice: HandsetChoice): void {
    if (choice === 'not-enrolled') return;
    void this.type(msisdn, pin, choice).catch((err: Error) =>
      this.logger?.warn({ err: err.message }, 'simulated handset not reached'),
    );
  }

  private async type(msisdn: string, pin: string, choice: HandsetChoice): Promise<void> {
    const phone = `${this.url.replace(/\/+$/, '')}/handsets/${encodeURIComponent(msisdn)}`;
    await this.post(`${phone}/faults`, { wrongSecret: choice === 'auth-failed' }, 10_000);
    await this.post(`${phone}/pin`, { pin, waitMs: PUSH_WAIT_MS }, PUSH_WAIT_MS + 30_000);
  }

  private async post(url: string, body: Record<string, unknown>, timeoutMs: number): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`handset control answered HTTP ${res.status}`);
  }
}
