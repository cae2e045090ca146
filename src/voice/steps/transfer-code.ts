import { z } from 'zod';
import { defineStep } from '../context.js';
import { INPUT_FIELDS, gather } from './common.js';

const CODE_LENGTH = 6;
const schema = z.strictObject({ type: z.literal('transfer-code'), ...INPUT_FIELDS });

/**
 * Cold transfer: the caller keys in the short code a support agent read out. A good code
 * redirects the call into the agent's flow with the agent's context (the same hand-in URL a
 * REST redirect uses, with a fresh single-use token for this call); codes are single use,
 * valid 10 minutes, and a wrong one costs one of this step's tries and counts toward the
 * caller's (and everybody's) guessing lockout, so guessing across many calls does not pay.
 */
export const transferCodeStep = defineStep<z.infer<typeof schema>>({
  type: 'transfer-code',
  kind: 'input',
  maskKeys: 'code',
  schema: schema.describe(
    'Cold transfer: the caller keys in the 6-digit code a support agent read out; a good code moves ' +
      "the call into the agent's flow with the agent's context.",
  ),
  enter(step, ctx) {
    ctx.say(gather(ctx, step.timeout, { numDigits: CODE_LENGTH, finishOnKey: '#' }), step.prompt);
    return { wait: true };
  },
  async input(_step, ctx, digits) {
    if (digits === '') return { retry: 'noInput' };
    if (!/^\d+$/.test(digits) || digits.length !== CODE_LENGTH) return { retry: 'invalid' };
    if (!(await ctx.guard.transferGuessAllowed(ctx.params.from))) return { exhausted: true };
    const url = await ctx.services.redeemTransferCode?.(ctx.call.callSid, digits);
    if (!url) {
      await ctx.guard.wrongTransferCode(ctx.params.from);
      return { retry: 'invalid' };
    }
    ctx.twiml.redirect({ method: 'POST' }, url);
    return { wait: true };
  },
});
