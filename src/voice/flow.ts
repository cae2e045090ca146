import { z } from 'zod';

/**
 * The voice-flow model. A flow file (YAML in voice-flows/) is parsed into this shape; each
 * step's own fields are validated by its step module's schema (see steps/registry.ts).
 */
export const LANGUAGE_SCHEMA = z.strictObject({
  voice: z.string().min(1),
  language: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must look like en-US'),
});

export const PHONE_POLICY_SCHEMA = z.strictObject({
  defaultRegion: z.string().regex(/^[A-Z]{2}$/),
  allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
  allowedTypes: z.array(z.enum(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE'])).min(1).default(['MOBILE', 'FIXED_LINE_OR_MOBILE']),
});

export const FLOW_HEADER_SCHEMA = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'lower-case letters, digits and dashes'),
  version: z.number().int().min(1),
  description: z.string().optional(),
  defaultLanguage: z.string(),
  languages: z.record(z.string(), LANGUAGE_SCHEMA),
  phone: PHONE_POLICY_SCHEMA,
  start: z.string(),
  prompts: z.record(z.string(), z.record(z.string(), z.string().min(1))),
  steps: z.record(z.string(), z.looseObject({ type: z.string() })),
});

export type LanguageSettings = z.infer<typeof LANGUAGE_SCHEMA>;
export type PhonePolicy = z.infer<typeof PHONE_POLICY_SCHEMA>;

export interface StepBase {
  readonly type: string;
}

export interface Flow {
  readonly id: string;
  readonly version: number;
  /** sha256 of the file text: identifies the exact revision a call started on. */
  readonly revision: string;
  readonly file: string;
  readonly defaultLanguage: string;
  readonly languages: Readonly<Record<string, LanguageSettings>>;
  readonly phone: PhonePolicy;
  readonly start: string;
  readonly prompts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly steps: Readonly<Record<string, StepBase>>;
}

/** The branches every input step declares (issue 4 generalises them). */
export const RETRY_BRANCH_SCHEMA = z.strictObject({ prompt: z.string() });
