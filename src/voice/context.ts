import type twilio from 'twilio';
import type { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import type { CallState } from './call-state.js';
import type { Flow, StepBase } from './flow.js';

export type VoiceResponse = twilio.twiml.VoiceResponse;
export type SayParent = Pick<VoiceResponse, 'say'>;

/** What a step decides: go on to another step, wait for the caller's keys, or end the call. */
export type Outcome =
  | { readonly goto: string }
  | { readonly wait: true }
  | { readonly end: true }
  | { readonly retry: 'noInput' | 'invalid' };

/** Side effects a flow may trigger; injected so the engine stays testable and pure of I/O. */
export interface VoiceServices {
  readonly publicBaseUrl: string;
  readonly pinLength: number;
  readonly sealKey: Buffer;
  readonly logger: Logger;
  enqueueBootstrap(input: { callSid: string; msisdn: string; flowId: string; pin: string }): Promise<{ bootstrapId: string }>;
}

export interface StepContext {
  readonly stepId: string;
  readonly flow: Flow;
  readonly call: CallState;
  readonly twiml: VoiceResponse;
  readonly services: VoiceServices;
  /** Says a prompt of the flow in the call's language, with {placeholders} filled in. */
  say(parent: SayParent, promptKey: string, vars?: Readonly<Record<string, string>>): void;
  /** The absolute, signed-URL-safe action for this step's Gather. */
  actionUrl(): string;
}

export interface StepModule<S extends StepBase = StepBase> {
  readonly type: string;
  readonly schema: z.ZodType<S>;
  /** Input steps declare how many tries a caller gets and where to go after the last one. */
  readonly input?: (step: S, ctx: StepContext, digits: string) => Promise<Outcome> | Outcome;
  enter(step: S, ctx: StepContext): Promise<Outcome> | Outcome;
}

export interface InputStepFields {
  readonly maxAttempts: number;
  readonly onMaxAttempts: string;
  readonly onNoInput: { readonly prompt: string };
  readonly onInvalid: { readonly prompt: string };
}

export function defineStep<S extends StepBase>(m: StepModule<S>): StepModule<S> {
  return m;
}
