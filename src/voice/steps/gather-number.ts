import { z } from 'zod';
import { defineStep } from '../context.js';
import { checkPhone } from '../phone.js';
import { INPUT_FIELDS } from './common.js';

const schema = z.strictObject({ type: z.literal('gather-number'), next: z.string(), ...INPUT_FIELDS });

/**
 * Collects a phone number by DTMF, ended by #. The prompt is nested in the Gather so keys
 * interrupt it, and actionOnEmptyResult makes silence come back to us, where the attempt
 * counter lives (server side, per call).
 */
export const gatherNumberStep = defineStep<z.infer<typeof schema>>({
  type: 'gather-number',
  schema,
  enter(step, ctx) {
    const g = ctx.twiml.gather({
      action: ctx.actionUrl(), method: 'POST', input: ['dtmf'], finishOnKey: '#', timeout: step.timeout, actionOnEmptyResult: true,
    });
    ctx.say(g, step.prompt);
    return { wait: true };
  },
  input(step, ctx, digits) {
    const res = checkPhone(digits, ctx.flow.phone);
    if (!res.ok) return { retry: res.reason === 'empty' ? 'noInput' : 'invalid' };
    ctx.call.msisdn = res.e164;
    ctx.call.national = res.national;
    return { goto: step.next };
  },
});
