import type { BootstrapState } from '../deliveries/lifecycle.js';
import { DOORS, type Door, type Origin, type Profile, type SecMethod } from '../deliveries/record.js';
import type { SeedEvent } from '../deliveries/timeline.js';

export { DOORS, type BootstrapState, type Door, type Origin, type Profile, type SecMethod };

/**
 * The one way every door asks for a bootstrap. OMA-ERELD-DM bootstrap names the ways a DM
 * server learns a device's number (a voice prompt system, a self-service web site, a
 * point-of-sale system, the network itself); whichever it is, the same Bootstrap Message goes
 * out, so the doors share this interface and differ only in who asks and how they prove it.
 *
 * Doors derive the request id from what makes a request unique for them (a web session, an
 * Idempotency-Key, a batch row, a network event id), so asking twice is asking once.
 */
/** OMA-WAP-TS-ProvBoot §5.3 SEC methods (the push's MAC key). */
export const SEC_METHODS = ['USERPIN', 'NETWPIN', 'USERNETWPIN', 'USERPINMAC'] as const satisfies readonly SecMethod[];

/** Which Bootstrap Message: OMA Client Provisioning (w7 APPLICATION) or a DM TNDS object. */
export const PROFILES = ['cp', 'dm'] as const satisfies readonly Profile[];

export interface BootstrapRequest {
  /** Door-derived idempotency id: [A-Za-z0-9_-], at most 60 characters. */
  readonly id: string;
  /** E.164, already normalised by the door. */
  readonly msisdn: string;
  readonly origin: Origin;
  readonly profile?: Profile;
  readonly sec?: SecMethod;
  /** 14–16 digits; only its TAC (first 8) is kept. */
  readonly imei?: string;
  /** A PIN the user already has (spoken in a call, printed in a batch); else the intake makes one. */
  readonly pin?: string;
  readonly flowId?: string;
  /** Events the door saw before asking, with their times (the hotline: verified, pin-issued). */
  readonly timeline?: readonly SeedEvent[];
}

export interface BootstrapAccepted {
  /** The bootstrap id to ask about; the intake may give it its own form. */
  readonly id: string;
  /** False when this request was already made (same request id): nothing new was queued. */
  readonly created: boolean;
  readonly state: BootstrapState;
  /** The PIN the intake generated, only on the request that created the bootstrap. */
  readonly pin?: string;
}

export interface IntakeStatus {
  readonly id: string;
  readonly state: BootstrapState;
  readonly origin: Origin | null;
  readonly profile: Profile;
  readonly sec: SecMethod;
  readonly tac?: string;
  /** Why it failed or expired: "CODE: message" (masked). */
  readonly error?: string;
}

export interface BootstrapIntake {
  request(req: BootstrapRequest): Promise<BootstrapAccepted>;
  /** Null when there is no such bootstrap. */
  status(id: string): Promise<IntakeStatus | null>;
  /** The bootstrap id a request id leads to (to look one up before asking). */
  idFor(requestId: string): string;
  /** What this intake can push; doors refuse other choices up front with a reason. */
  readonly supports: { readonly profiles: readonly Profile[]; readonly secs: readonly SecMethod[] };
  /** What a request without profile/sec gets. */
  readonly defaults: { readonly profile: Profile; readonly sec: SecMethod };
}

export const REQUEST_ID = /^[A-Za-z0-9_-]{1,60}$/;

/** Methods whose MAC key includes a PIN the user types into the handset. */
export function needsUserPin(sec: SecMethod): boolean {
  return sec !== 'NETWPIN';
}

/** Methods whose MAC key includes the IMSI (subscriber lookup). */
export function needsImsi(sec: SecMethod): boolean {
  return sec === 'NETWPIN' || sec === 'USERNETWPIN';
}

/** IMEI (3GPP TS 23.003 §6.2.1): 14 digits plus a Luhn check digit, or IMEISV's 16; the TAC is the first 8. */
export const IMEI = /^\d{14,16}$/;
export function tacOf(imei: string): string {
  return imei.slice(0, 8);
}
