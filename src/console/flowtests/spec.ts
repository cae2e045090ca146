import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CALL_OUTCOMES } from '../../voice/trace/events.js';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number, e.g. +447700900123');
const KEYS = z.string().regex(/^[0-9*#]{0,32}$/, 'keys are up to 32 of 0-9, * and #');

/** One thing the caller does, or one check of what they heard since the last check. */
const ACTION = z.union([
  z.strictObject({ press: z.union([KEYS, z.number().int().nonnegative().transform(String)]) }),
  z.strictObject({ silence: z.literal(true) }),
  z.strictObject({ code: z.enum(['sms', 'wrong']).describe('the code from the SMS, or a wrong one') }),
  z.strictObject({ hear: z.string().min(1).describe('heard since the last `hear`, as part of a prompt') }),
  z.strictObject({ agent: z.enum(['no-answer', 'completed']).describe('how the transfer to an agent ends') }),
  z.strictObject({ hangup: z.literal(true) }),
]);
export type Action = z.infer<typeof ACTION>;

/** The SMSC's answer to the settings push: its delivery receipt. */
export const SMSC_ANSWERS = ['delivered', 'undelivered', 'expired'] as const;
export type SmscAnswer = (typeof SMSC_ANSWERS)[number];

/**
 * What the handset does with delivered settings, as the DM server reports it: opens its first
 * session (`enrolled`), reaches the server and fails authentication (`auth-failed`), never
 * connects (`not-enrolled`: the enrolment window runs out), or nothing is tracked
 * (`untracked`: ENROLMENT_WINDOW_S=0, wait-for-enrolment skips to onUntracked).
 */
export const HANDSET_ANSWERS = ['untracked', 'enrolled', 'auth-failed', 'not-enrolled'] as const;
export type HandsetAnswer = (typeof HANDSET_ANSWERS)[number];

const CASE = z.strictObject({
  name: z.string().min(1).max(200),
  caller: z
    .strictObject({
      from: E164.default('+447700900001'),
      attested: z.boolean().default(false).describe('SHAKEN/STIR A-level attestation of the caller ID'),
      handIn: z
        .strictObject({
          language: z
            .string()
            .regex(/^[a-z]{2,3}$/)
            .optional(),
          agentId: z.string().max(64).optional(),
          ticketId: z.string().max(64).optional(),
          number: E164.optional(),
          returnTo: z.string().max(200).optional(),
        })
        .optional()
        .describe('the call starts with a support agent who hands the caller in'),
    })
    .default({ from: '+447700900001', attested: false }),
  smsc: z.enum(SMSC_ANSWERS).default('delivered'),
  handset: z.enum(HANDSET_ANSWERS).default('untracked').describe('what the handset does once the settings arrive'),
  script: z.array(ACTION).default([]),
  expect: z
    .strictObject({
      heard: z.array(z.string().min(1)).optional().describe('prompts heard, in this order (each a part of one)'),
      notHeard: z.array(z.string().min(1)).optional(),
      steps: z.array(z.string()).optional().describe('steps visited, in this order (others may come between)'),
      notSteps: z.array(z.string()).optional(),
      sms: z.number().int().min(0).max(5).optional().describe('code SMS the SMSC accepted'),
      push: z
        .enum(['none', 'queued', 'delivered', 'failed', 'enrolled', 'not-enrolled'])
        .optional()
        .describe('the push: delivered also holds for a push the handset then used (enrolled) or not'),
      escalation: z
        .strictObject({
          verb: z.enum(['Enqueue', 'Dial']).optional(),
          target: z.string().optional(),
          attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
        })
        .optional(),
      outcome: z.enum(CALL_OUTCOMES as unknown as [string, ...string[]]).optional(),
    })
    .default({}),
});
export type TestCase = z.infer<typeof CASE>;

const FILE = z.strictObject({ flow: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), tests: z.array(CASE).min(1) });

export interface TestFile {
  readonly file: string;
  readonly flow: string;
  readonly cases: readonly TestCase[];
}

/** A test file, or its problems as "file: path: message" lines. */
export function parseTestFile(file: string, text: string): TestFile | { problems: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return { problems: doc.errors.map((e) => `${file}: ${e.message.split('\n')[0]}`) };
  const r = FILE.safeParse(doc.toJS());
  if (!r.success) return { problems: r.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`) };
  return { file, flow: r.data.flow, cases: r.data.tests };
}

/** FLOWS_DIR/tests/*.yaml: the flow tests beside the flows. */
export function testFilesIn(flowsDir: string): string[] {
  const dir = join(flowsDir, 'tests');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every test file for one flow (files that do not parse are reported as problems). */
export function testsForFlow(flowsDir: string, flow: string): { files: TestFile[]; problems: string[] } {
  const files: TestFile[] = [];
  const problems: string[] = [];
  for (const f of testFilesIn(flowsDir)) {
    const parsed = parseTestFile(f.slice(flowsDir.length + 1), readFileSync(f, 'utf8'));
    if ('problems' in parsed) problems.push(...parsed.problems);
    else if (parsed.flow === flow) files.push(parsed);
  }
  return { files, problems };
}
