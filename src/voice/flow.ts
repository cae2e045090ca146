import { z } from 'zod';

/**
 * The voice-flow model. A flow file (YAML in voice-flows/) is parsed into this shape; each
 * step's own fields are validated by its step module's schema (see steps/registry.ts), and
 * cross-field rules (references, reachability, loops, prompts, voices) by checks.ts.
 */
export const STEP_ID = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/, 'step ids are letters, digits, "-" and "_" (max 41)');
export const PROMPT_KEY = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,60}$/, 'prompt keys are letters, digits, "-" and "_"');
export const LANG_KEY = z.string().regex(/^[a-z]{2,3}$/, 'language keys are 2-3 lower-case letters, e.g. en');
export const DTMF_KEY = z.string().regex(/^[0-9*#]$/, 'one keypad key: 0-9, * or #');

/** Twilio reads at most 4,096 characters of text in one <Say> (TwiML <Say> reference). */
export const PROMPT_TEXT = z.string().min(1).max(4_096, 'Twilio reads at most 4,096 characters in one <Say>');

export const LANGUAGE_SCHEMA = z.strictObject({
  voice: z.string().min(1).describe('Twilio <Say> voice, e.g. Polly.Joanna-Neural, Google.en-US-Neural2-F, woman'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must look like en-US')
    .describe('BCP-47 language of the voice'),
});

export const PHONE_POLICY_SCHEMA = z.strictObject({
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .describe('ISO country used for numbers typed without + or 00'),
  allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
  allowedTypes: z
    .array(z.enum(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE']))
    .min(1)
    .default(['MOBILE', 'FIXED_LINE_OR_MOBILE']),
});

export const VERIFICATION_SCHEMA = z.strictObject({
  skipForAttestedCaller: z
    .boolean()
    .default(false)
    .describe(
      'Skip the one-time code when the entered number is the caller ID and StirVerstat is TN-Validation-Passed-A',
    ),
});

/** What a flow says and where it sends the caller when bootline itself fails (also /voice/fallback). */
export const ON_ERROR_SCHEMA = z.strictObject({ prompt: PROMPT_KEY, next: STEP_ID });

/** Where a caller handed in by an agent who gave the language begins (the language menu is moot). */
export const HAND_IN_SCHEMA = z.strictObject({
  start: STEP_ID.describe('First step of a hand-in with a language; without one the call begins at start'),
});

export const FLOW_HEADER_SCHEMA = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,40}$/, 'lower-case letters, digits and dashes')
    .describe('Flow id: Twilio calls /voice/incoming?flow=ID (default bootstrap)'),
  version: z.number().int().min(1).describe('Your own version number of the flow'),
  description: z.string().max(1_000).optional().describe('Free text for the people who read the file'),
  defaultLanguage: LANG_KEY.describe('Language a call starts in'),
  languages: z
    .record(LANG_KEY, LANGUAGE_SCHEMA)
    .describe('Languages by key, each with a voice that must speak it, e.g. en: { voice, language }'),
  phone: PHONE_POLICY_SCHEMA.describe(
    'Numbers a caller may enter; premium-rate, shared-cost, toll-free, short codes and invalid ones are always refused',
  ),
  verification: VERIFICATION_SCHEMA.default({ skipForAttestedCaller: false }).describe(
    'How possession is proven: skipForAttestedCaller skips the code for an A-attested caller ID equal to the number',
  ),
  escapes: z.record(DTMF_KEY, STEP_ID).default({}).describe('Keys that leave any input step, e.g. "0": agent'),
  onError: ON_ERROR_SCHEMA.optional().describe(
    'What a caller hears when bootline fails (and on /voice/fallback); next is a transfer-to-agent or hangup step',
  ),
  onRestart: z
    .strictObject({ prompt: PROMPT_KEY })
    .optional()
    .describe('Said when a call bootline lost track of starts again'),
  handIn: HAND_IN_SCHEMA.optional().describe(
    'Calls a support agent sends into this flow (docs/guides/support-agents.md)',
  ),
  start: STEP_ID.describe('The first step of a call'),
  prompts: z
    .record(LANG_KEY, z.record(PROMPT_KEY, PROMPT_TEXT))
    .describe('prompts.<language>.<key>: text; every key a step uses must exist in every language'),
  steps: z.record(STEP_ID, z.looseObject({ type: z.string() })).describe('The steps by id (types below)'),
});

export type LanguageSettings = z.infer<typeof LANGUAGE_SCHEMA>;
export type PhonePolicy = z.input<typeof PHONE_POLICY_SCHEMA>;
export type FlowHeader = z.infer<typeof FLOW_HEADER_SCHEMA>;

export interface StepBase {
  readonly type: string;
}

export interface Flow {
  readonly id: string;
  readonly version: number;
  /** sha256 of the file text: identifies the exact revision a call started on. */
  readonly revision: string;
  readonly file: string;
  /** The file text, kept so the revision can be archived for calls handled by other processes. */
  readonly source: string;
  readonly defaultLanguage: string;
  readonly languages: Readonly<Record<string, LanguageSettings>>;
  readonly phone: z.infer<typeof PHONE_POLICY_SCHEMA>;
  readonly verification: z.infer<typeof VERIFICATION_SCHEMA>;
  readonly escapes: Readonly<Record<string, string>>;
  readonly onError?: z.infer<typeof ON_ERROR_SCHEMA>;
  readonly onRestart?: { readonly prompt: string };
  readonly handIn?: z.infer<typeof HAND_IN_SCHEMA>;
  readonly start: string;
  readonly prompts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly steps: Readonly<Record<string, StepBase>>;
}

/**
 * A retry branch of an input step: what to say, and optionally a step to go to instead of
 * asking again (e.g. straight to an agent on silence).
 */
export const RETRY_BRANCH_SCHEMA = z.strictObject({ prompt: PROMPT_KEY, next: STEP_ID.optional() });
export type RetryBranch = z.infer<typeof RETRY_BRANCH_SCHEMA>;

/** Placeholders a prompt may use; anything else in braces is refused at load. */
export const PROMPT_VARIABLES = ['number', 'pin', 'code'] as const;
