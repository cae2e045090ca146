import { maskPhone } from '../../platform/mask.js';

/** Where a call came from: Twilio, the console's simulator (or `bootline call`), or a flow test. */
export type CallSource = 'call' | 'simulator' | 'test';

/** How a call ended, for the console's filters (docs/guides/console.md, "Calls and their traces"). */
export type CallOutcome = 'pushed' | 'push-failed' | 'agent' | 'gave-up' | 'refused' | 'ended' | 'hung-up' | 'error';
export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'pushed',
  'push-failed',
  'agent',
  'gave-up',
  'refused',
  'ended',
  'hung-up',
  'error',
];

/**
 * One thing that happened on a call, at `t` (epoch ms). Never a number in clear, a PIN or a
 * code: keys typed where a step gathers a number are masked like any logged number, codes
 * are starred; prompts are recorded by key, not by text (a prompt may say the PIN).
 */
export type TraceEvent = { readonly t: number; readonly step: string } & (
  | { readonly kind: 'step'; readonly type: string }
  | { readonly kind: 'prompt'; readonly key: string; readonly lang: string }
  | { readonly kind: 'keys'; readonly keys: string }
  | { readonly kind: 'retry'; readonly why: 'noInput' | 'invalid'; readonly attempt: number }
  | { readonly kind: 'branch'; readonly to: string; readonly reason?: string }
  | { readonly kind: 'sms'; readonly to: string; readonly send: number }
  | { readonly kind: 'push'; readonly bootstrapId: string; readonly status: string }
  | {
      readonly kind: 'escalation';
      readonly verb: 'Enqueue' | 'Dial';
      readonly target: string;
      readonly attributes: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'end'; readonly outcome: CallOutcome }
  | { readonly kind: 'restart' | 'error' | 'hand-in'; readonly detail?: string }
);

/** Distributes over the union, so each kind keeps its own fields. */
type WithoutTime<E> = E extends unknown ? Omit<E, 't'> : never;
export type TraceNote = WithoutTime<TraceEvent>;

/** What keys a step may record as typed: a gathered number masked, a code starred, menu keys as they are. */
export type KeyMask = 'number' | 'code' | undefined;

export function maskKeys(keys: string, mask: KeyMask): string {
  if (mask === 'number') return maskPhone(keys.replace(/^\*|^00/, '+'));
  if (mask === 'code') return '*'.repeat(Math.min(keys.length, 12));
  return keys;
}

/** The call's meta record: what the list and its filters read without opening the sealed events. */
export interface TraceMeta {
  readonly callSid: string;
  readonly flow: string;
  readonly revision: string;
  readonly version: number;
  readonly source: CallSource;
  /** A test caller (FLOW_TEST_CALLERS) routed to the flow's draft. */
  readonly draft: boolean;
  /** Masked caller ID. */
  readonly from: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly outcome?: CallOutcome;
  readonly lastStep?: string;
  readonly bootstrapId?: string;
}

/**
 * How a call that reached an end (a hang-up step) ended, from why it got there: the error
 * route, a push that failed or went out, the last try used up, a limit, or a plain goodbye.
 */
export function outcomeOf(call: { readonly reason?: string; readonly bootstrapId?: string }): CallOutcome {
  const why = call.reason ?? '';
  if (why === 'error') return 'error';
  if (why === 'push-failed' || why === 'push-expired') return 'push-failed';
  if (call.bootstrapId) return 'pushed';
  if (why === 'max-attempts') return 'gave-up';
  if (why === 'rate-limited' || why === 'code-limit') return 'refused';
  return 'ended';
}
