import { z } from 'zod';
import { STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';
import { INPUT_FIELDS, gather } from './common.js';

const schema = z.strictObject({
  type: z.literal('confirm'),
  next: STEP_ID.describe('Key 1: the number is right'),
  onReenter: STEP_ID.describe('Key 2: enter it again'),
  ...INPUT_FIELDS,
});

/**
 * Reads the number back digit by digit ({number} in the prompt) and asks 1 = correct,
 * 2 = enter again. A provisioning destination is high-risk input, so it is always confirmed.
 */
export const confirmStep = defineStep<z.infer<typeof schema>>({
  type: 'confirm',
  kind: 'input',
  schema: schema.describe(
    'Reads the number back digit by digit ({number} in the prompt) and asks 1 = correct, 2 = enter ' + 'again.',
  ),
  enter(step, ctx) {
    ctx.say(gather(ctx, step.timeout, { numDigits: 1 }), step.prompt);
    return { wait: true };
  },
  input(step, ctx, digits) {
    if (digits === '') return { retry: 'noInput' };
    if (digits === '1' && ctx.call.msisdn) return { goto: step.next };
    if (digits === '2' || !ctx.call.msisdn) return { goto: step.onReenter };
    return { retry: 'invalid' };
  },
});
