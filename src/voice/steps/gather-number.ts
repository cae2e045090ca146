import { z } from 'zod';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep, type StepContext } from '../context.js';
import { checkPhone } from '../phone.js';
import { INPUT_FIELDS, gather } from './common.js';

const schema = z.strictObject({
  type: z.literal('gather-number'),
  next: STEP_ID,
  ...INPUT_FIELDS,
  /** More helpful retries than onInvalid's generic prompt, per reason the number was refused. */
  countryPrompt: PROMPT_KEY.optional().describe('Said when the number is valid but its country is not allowed'),
  typePrompt: PROMPT_KEY.optional().describe(
    'Said when the number is valid but not a mobile (landline, premium rate, ...)',
  ),
});

/**
 * Collects a phone number by DTMF, ended by #. National entry, or international entry with
 * 00 or * standing for "+". Keys interrupt the nested prompt.
 */
export const gatherNumberStep = defineStep<z.infer<typeof schema>>({
  type: 'gather-number',
  kind: 'input',
  maskKeys: 'number',
  schema: schema.describe(
    'Collects a phone number by DTMF, ended by #: national entry, or international with 00 or * for ' +
      '"+"; normalised to E.164 and checked against the flow\'s phone policy.',
  ),
  enter(step, ctx) {
    // An agent's prefilled number skips entry once (the API already checked it against the
    // policy); the next steps still read it back, confirm and verify it like a typed one.
    const prefill = ctx.call.prefill;
    if (prefill) {
      delete ctx.call.prefill;
      const res = checkPhone(prefill.replace(/^\+/, '*'), ctx.flow.phone);
      if (res.ok) return accept(ctx, res, step.next);
    }
    ctx.say(gather(ctx, step.timeout, { finishOnKey: '#' }), step.prompt);
    return { wait: true };
  },
  input(step, ctx, digits) {
    const res = checkPhone(digits, ctx.flow.phone);
    if (!res.ok) {
      if (res.reason === 'empty') return { retry: 'noInput' };
      const prompt =
        res.reason === 'country' ? step.countryPrompt : res.reason === 'type' ? step.typePrompt : undefined;
      return prompt ? { retry: 'invalid', prompt } : { retry: 'invalid' };
    }
    return accept(ctx, res, step.next);
  },
});

function accept(ctx: StepContext, res: { e164: string; national: string }, next: string) {
  // A new number is unproven, whatever was verified before.
  if (ctx.call.msisdn !== res.e164) ctx.call.verified = false;
  ctx.call.msisdn = res.e164;
  ctx.call.national = res.national;
  return { goto: next };
}
