import { z } from 'zod';
import { defineStep } from '../context.js';
import { speakDigitsGrouped } from '../phone.js';
import { INPUT_FIELDS } from './common.js';

const schema = z.strictObject({
  type: z.literal('confirm'),
  next: z.string(),
  onReenter: z.string(),
  ...INPUT_FIELDS,
});

/**
 * Reads the number back digit by digit ({number} in the prompt) and asks 1 = correct,
 * 2 = enter again. A provisioning destination is high-risk input, so it is always confirmed.
 */
export const confirmStep = defineStep<z.infer<typeof schema>>({
  type: 'confirm',
  schema,
  enter(step, ctx) {
    const g = ctx.twiml.gather({ action: ctx.actionUrl(), method: 'POST', input: ['dtmf'], numDigits: 1, timeout: step.timeout, actionOnEmptyResult: true });
    ctx.say(g, step.prompt, { number: speakDigitsGrouped(ctx.call.national ?? '') });
    return { wait: true };
  },
  input(step, _ctx, digits) {
    if (digits === '') return { retry: 'noInput' };
    if (digits === '1') return { goto: step.next };
    if (digits === '2') return { goto: step.onReenter };
    return { retry: 'invalid' };
  },
});
