import type twilio from 'twilio';
import type { z } from 'zod';
import type { BootstrapRequest } from '../deliveries/intake.js';
import type { Logger } from '../platform/logger.js';
import type { CallState } from './call-state.js';
import type { Flow, RetryBranch, StepBase } from './flow.js';
import type { OtpStore } from './otp.js';
import type { AbuseGuard } from '../policy/limits.js';
import type { SayParent, Spoken } from './speech.js';
import type { KeyMask, TraceNote } from './trace/events.js';

export type VoiceResponse = twilio.twiml.VoiceResponse;
export type { SayParent };

/** What a step decides: go on, wait for Twilio (keys, a redirect, a dial), end, or retry. */
export type Outcome =
  | { readonly goto: string; readonly reason?: string }
  | { readonly wait: true }
  | { readonly end: true }
  /** A caller mistake: counts one try; `prompt` overrides the branch's prompt (a more specific hint). */
  | { readonly retry: 'noInput' | 'invalid'; readonly prompt?: string }
  /** No tries left regardless of the step's counter (e.g. the code's own 3 tries are used up). */
  | { readonly exhausted: true };

/** The webhook fields steps may read; the http layer has already checked the signature. */
export interface CallParams {
  readonly callSid: string;
  readonly from?: string;
  readonly digits?: string;
  readonly stirVerstat?: string;
  /** DialCallStatus or QueueResult when Twilio returns from <Dial>/<Enqueue>. */
  readonly transferResult?: string;
  /** Set by bootline's own simulator and flow tests (a signed parameter Twilio never sends): for traces. */
  readonly source?: 'simulator' | 'test';
}

/** Side effects a flow may trigger; injected so the engine has no queue or SMPP imports. */
export interface VoiceServices {
  readonly publicBaseUrl: string;
  readonly pinLength: number;
  readonly sealKey: Buffer;
  readonly logger: Logger;
  /** The intake every door calls (deliveries/intake.ts); idempotent by the request's id. */
  requestBootstrap(req: BootstrapRequest): Promise<{ readonly id: string }>;
  /** Queues a text SMS through the SMPP transport; `id` makes the send idempotent. */
  sendText(input: { id: string; callSid: string; to: string; text: string }): Promise<void>;
  /** The bootstrap's state (deliveries/lifecycle.ts STATES), or null when there is no such bootstrap. */
  bootstrapStatus(id: string): Promise<string | null>;
  /** Whether a DM server reports device sessions (ENROLMENT_WINDOW_S > 0); wait-for-enrolment is skipped without. */
  readonly enrolmentTracked?: boolean;
  /** A bootstrap's state and failure cause (wait-for-enrolment), or null when there is no such bootstrap. */
  bootstrapState?(id: string): Promise<{ readonly status: string; readonly cause: string | null } | null>;
  /**
   * A cold-transfer code typed by the caller: the hand-in URL to <Redirect> to (a fresh
   * single-use context token for this call), or null for an unknown/used/expired code.
   * Absent when support agents are not wired (the transfer-code step then refuses every code).
   */
  redeemTransferCode?(callSid: string, code: string): Promise<string | null>;
  /** TWILIO_WORKFLOW_SID: named-queue escalations go through this TaskRouter workflow, with task attributes. */
  readonly taskRouterWorkflowSid?: string;
}

export interface StepContext {
  readonly stepId: string;
  readonly flow: Flow;
  readonly call: CallState;
  readonly twiml: VoiceResponse;
  readonly services: VoiceServices;
  readonly otp: OtpStore;
  /** Rate limits and wrong-code lockout shared by all web processes. */
  readonly guard: AbuseGuard;
  readonly params: CallParams;
  /** Says a prompt in the call's language; {number} and {pin} come from the call itself. */
  say(parent: SayParent, promptKey: string, vars?: Readonly<Record<string, Spoken>>, language?: string): void;
  /** A prompt as plain text in the call's language (for SMS). */
  text(promptKey: string, vars?: Readonly<Record<string, Spoken>>): string;
  /** Absolute URL Twilio posts to when this (or another) step's Gather, Redirect or Dial completes. */
  actionUrl(stepId?: string): string;
  /** Records what the step did in the call's execution trace (an SMS, a push, an escalation, the end). */
  note(event: TraceNote): void;
}

/**
 * How a step relates to the call's turn-taking, used by the loop check and the engine:
 * input = a Gather with tries and branches; wait = hands control to Twilio (Pause/Redirect,
 * Dial, Enqueue); action = does its work and moves on in the same request; end = hangs up.
 */
export type StepKind = 'input' | 'wait' | 'action' | 'end';

export interface StepModule<S extends StepBase = StepBase> {
  readonly type: string;
  readonly kind: StepKind;
  readonly schema: z.ZodType<S>;
  /**
   * enter() renders TwiML from the step, the flow and the call state alone (no webhook
   * params, services or Redis) and changes nothing else: the same state gives the same
   * TwiML. So a new call's first turn made of such steps is rendered once per flow revision.
   */
  readonly pure?: boolean;
  /** How keys typed at this step appear in traces: a gathered number masked, a code starred. */
  readonly maskKeys?: KeyMask;
  /** Keys typed at an input step, or Twilio returning to a wait step (Redirect/Dial action). */
  readonly input?: (step: S, ctx: StepContext, digits: string) => Promise<Outcome> | Outcome;
  enter(step: S, ctx: StepContext): Promise<Outcome> | Outcome;
  /** Rules about this step that need the rest of the flow (checked at load). */
  readonly check?: (step: S, flow: FlowForCheck) => FlowIssue[];
}

/** A flow as the load-time checks see it (revision and source are not known yet). */
export type FlowForCheck = Omit<Flow, 'revision' | 'file' | 'source'>;
export interface FlowIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

export interface InputStepFields {
  readonly timeout: number;
  readonly maxAttempts: number;
  readonly onMaxAttempts: string;
  readonly onNoInput: RetryBranch;
  readonly onInvalid: RetryBranch;
}

export function defineStep<S extends StepBase>(m: StepModule<S>): StepModule<S> {
  return m;
}
