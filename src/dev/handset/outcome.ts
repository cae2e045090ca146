import type { SecMethod } from '../../codec/index.js';
import { maskPhone } from '../../platform/mask.js';

/**
 * How a push ended on a simulated handset:
 *   authenticated             the DM server accepted the client (212) and proved itself
 *   pin-refused               the MAC does not verify with the PIN typed (wrong PIN or altered message)
 *   push-discarded            not a usable Bootstrap Message (unsigned, malformed, NETWPIN MAC mismatch,
 *                             too many wrong PINs) — a real handset drops it without a word
 *   document-invalid          verified, but the document holds no DM account
 *   auth-failed               the DM server refused the client's credentials (401/407, after one retry)
 *   server-not-authenticated  the server's own credentials in Package 2 do not match SRVCRED
 *   unreachable               no answer from the DM server address
 *   protocol-error            the DM server's answer is not a Package 2 the client understands
 *   no-push                   no Bootstrap Message arrived while the PIN waited
 */
export type OutcomeKind =
  | 'authenticated'
  | 'pin-refused'
  | 'push-discarded'
  | 'document-invalid'
  | 'auth-failed'
  | 'server-not-authenticated'
  | 'unreachable'
  | 'protocol-error'
  | 'no-push';

export interface HandsetOutcome {
  readonly outcome: OutcomeKind;
  /** Masked: outcomes reach logs and the control API. */
  readonly msisdn: string;
  readonly at: string;
  readonly reason?: string;
  /** The SyncML status the DM server gave the client's SyncHdr. */
  readonly status?: number;
  readonly serverId?: string;
  readonly serverUrl?: string;
  readonly sec?: SecMethod;
  readonly profile?: 'cp' | 'dm';
  readonly attemptsLeft?: number;
}

export interface HandsetEvent {
  readonly at: string;
  readonly msisdn: string;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export function outcomeOf(msisdn: string, o: Omit<HandsetOutcome, 'msisdn' | 'at'>): HandsetOutcome {
  return { ...o, msisdn: maskPhone(msisdn), at: new Date().toISOString() };
}
