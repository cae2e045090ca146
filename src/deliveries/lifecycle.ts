/**
 * Owns a bootstrap's lifecycle as one table: its states, the transitions between them with
 * what triggers each, and the failure causes, each a stable code (in the manner of Eclipse
 * Leshan's BootstrapFailureCause: one precise reason per way a bootstrap can end badly).
 * The Lua transitions (store/scripts.ts, store/run-scripts.ts, store/dm-scripts.ts) implement
 * it; docs/reference/lifecycle.md is rendered from it (lifecycle-doc.ts) and a test keeps the
 * two equal.
 *
 * A Bootstrap Message has done its job when "the DM Client [is] able to initiate a management
 * session with the device management server that sent out the Bootstrap Message"
 * (OMA-TS-DM_Protocol, Bootstrap): a delivery receipt proves the SMS arrived, `enrolled` proves
 * the handset authenticated to the DM server with the credentials the message carried.
 */
import type { ErrorCode } from '../errors.js';

export const STATES = {
  queued: {
    terminal: false,
    summary: 'Accepted by a door; the push job will build and submit it (round 1, or a retry)',
  },
  submitted: { terminal: false, summary: 'The SMSC accepted every segment (submit_sm_resp)' },
  delivered: { terminal: false, summary: 'Every segment has a DELIVRD receipt; waiting for the first DM session' },
  enrolled: { terminal: true, summary: 'The DM server reported a session of the device with these credentials' },
  failed: { terminal: true, summary: 'Ended with a failure cause; an operator may retry an SMS-leg failure' },
  expired: { terminal: true, summary: 'The SMSC gave up on a segment before the handset took it (validity period)' },
  'not-enrolled': { terminal: true, summary: 'Delivered, but no DM session within ENROLMENT_WINDOW_S' },
} as const;

export type BootstrapState = keyof typeof STATES;
export const STATE_NAMES = Object.keys(STATES) as BootstrapState[];

export interface Transition {
  readonly from: readonly BootstrapState[];
  readonly to: BootstrapState;
  /** What moves it. */
  readonly on: string;
  /** The failure causes this transition records. */
  readonly causes?: readonly FailureCause[];
}

const ALL_BUT = (...not: BootstrapState[]) => STATE_NAMES.filter((s) => !not.includes(s));

export const TRANSITIONS: readonly Transition[] = [
  { from: ['queued'], to: 'submitted', on: 'The push run recorded the SMSC message id of its last segment' },
  {
    from: ['queued', 'submitted'],
    to: 'delivered',
    on: 'The last segment receipt is DELIVRD (whichever of the submit record and the receipt lands last)',
  },
  {
    from: ALL_BUT('enrolled'),
    to: 'enrolled',
    on:
      'POST /api/dm/sessions `session-started`: the DM server is the last word, whatever the SMS leg reported ' +
      '(a lost receipt, a late session)',
  },
  {
    from: ['queued', 'submitted'],
    to: 'failed',
    on: 'A permanent error of the push run, the DM registration, or a failing receipt',
    causes: [
      'DESTINATION_REFUSED',
      'SMSC_REJECTED',
      'UNDELIVERABLE',
      'DM_REGISTRATION_REFUSED',
      'DM_REGISTRATION_UNAVAILABLE',
      'PIN_EXPIRED',
      'SUBSCRIBER_UNKNOWN',
      'INTERNAL_ERROR',
    ],
  },
  {
    from: ALL_BUT('enrolled'),
    to: 'failed',
    on: 'POST /api/dm/sessions `auth-failed`: the handset reached the DM server but did not authenticate',
    causes: ['DM_AUTH_FAILED'],
  },
  { from: ['queued', 'submitted'], to: 'expired', on: 'An EXPIRED receipt for a segment', causes: ['EXPIRED'] },
  {
    from: ['delivered'],
    to: 'not-enrolled',
    on: 'The enrolment window ran out (a delayed job per bootstrap and round, scheduled at `delivered`)',
    causes: ['NOT_ENROLLED_IN_TIME'],
  },
  {
    from: ['failed', 'expired'],
    to: 'queued',
    on: 'POST /api/bootstraps/{id}/retry (operator, agent): the next round, same credentials, same PIN while it lasts',
  },
];

export const FAILURE_CAUSES = {
  DESTINATION_REFUSED: { state: 'failed', detail: '', summary: 'The destination policy refused the number' },
  SMSC_REJECTED: {
    state: 'failed',
    detail: 'SMPP command_status name',
    summary: 'The SMSC refused a submit_sm permanently',
  },
  UNDELIVERABLE: {
    state: 'failed',
    detail: 'receipt stat and err',
    summary: 'A segment receipt said UNDELIV, REJECTD, DELETED or UNKNOWN',
  },
  EXPIRED: { state: 'expired', detail: 'receipt err', summary: 'A segment receipt said EXPIRED' },
  DM_REGISTRATION_REFUSED: {
    state: 'failed',
    detail: "the DM server's answer",
    summary: "The DM server refused the device's credentials",
  },
  DM_REGISTRATION_UNAVAILABLE: {
    state: 'failed',
    detail: 'the last answer',
    summary: 'The DM server stayed unavailable through every registration attempt',
  },
  PIN_EXPIRED: { state: 'failed', detail: '', summary: 'The PIN was gone before the push could be built' },
  SUBSCRIBER_UNKNOWN: {
    state: 'failed',
    detail: '',
    summary: 'NETWPIN/USERNETWPIN: the subscriber lookup knows no IMSI for the number',
  },
  NOT_ENROLLED_IN_TIME: {
    state: 'not-enrolled',
    detail: 'the window in seconds',
    summary: 'Delivered, but the handset opened no DM session within the window',
  },
  DM_AUTH_FAILED: {
    state: 'failed',
    detail: "the DM server's cause",
    summary: 'The handset opened a DM session but failed authentication',
  },
  INTERNAL_ERROR: {
    state: 'failed',
    detail: 'error code',
    summary: 'Any other permanent error (a bug or a bad config)',
  },
} as const satisfies Record<string, { state: BootstrapState; detail: string; summary: string }>;

export type FailureCause = keyof typeof FAILURE_CAUSES;

/** The states after which an SMS-leg update (receipt, run record) changes nothing. */
export const PAST_SMS_LEG: readonly BootstrapState[] = ['delivered', 'enrolled', 'failed', 'expired', 'not-enrolled'];

const BY_ERROR: Partial<Record<ErrorCode, FailureCause>> = {
  DESTINATION_REFUSED: 'DESTINATION_REFUSED',
  SMPP_REJECTED: 'SMSC_REJECTED',
  DM_REGISTRATION_REJECTED: 'DM_REGISTRATION_REFUSED',
  DM_REGISTRATION_UNAVAILABLE: 'DM_REGISTRATION_UNAVAILABLE',
  BOOTSTRAP_SECRET_EXPIRED: 'PIN_EXPIRED',
  SUBSCRIBER_UNKNOWN: 'SUBSCRIBER_UNKNOWN',
};

/** The failure cause a permanent error of the push run or the registration records. */
export function causeOfError(code: string): FailureCause {
  return BY_ERROR[code as ErrorCode] ?? 'INTERNAL_ERROR';
}

/** Whether the table allows `from → to` (tests hold the Lua to it). */
export function allowed(from: BootstrapState, to: BootstrapState): boolean {
  return TRANSITIONS.some((t) => t.to === to && t.from.includes(from));
}

/** Timeline events that are state changes: each becomes one outbound event. */
export const STATE_EVENTS: ReadonlySet<string> = new Set(STATE_NAMES);
