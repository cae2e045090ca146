import { z } from 'zod';
import { IMEI, PROFILES, SEC_METHODS } from './intake.js';

/** Fields the POS API and batch rows share; an E.164 number because integrators have one. */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number, e.g. +447700900123');
export const REFERENCE = z
  .string()
  .regex(/^[\x20-\x7e]{1,64}$/, 'must be 1-64 printable ASCII characters')
  .describe("The integrator's own reference (a sale id), shown with the bootstrap");

export const BOOTSTRAP_FIELDS = {
  msisdn: E164,
  profile: z.enum(PROFILES).optional(),
  sec: z.enum(SEC_METHODS).optional(),
  imei: z.string().regex(IMEI, 'must be 14-16 digits').optional(),
  reference: REFERENCE.optional(),
};

export const POS_REQUEST = z.strictObject(BOOTSTRAP_FIELDS);
export type PosRequest = z.infer<typeof POS_REQUEST>;

/** zod issues as one line each: "field: message". */
export function issuesText(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
