import { z } from 'zod';
import { DTMF_KEY, PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';
import { OTP_POLICY } from '../otp.js';
import { INPUT_FIELDS, gather } from './common.js';

const schema = z.strictObject({
  type: z.literal('verify-code'),
  next: STEP_ID.describe('The code was right: the number is verified'),
  resendKey: DTMF_KEY.default('*').describe('Key (then #) asking for a new code'),
  onResend: STEP_ID.describe('The send-code step that sends a new code'),
  expiredPrompt: PROMPT_KEY.describe('Said when the code expired (a new one is sent if the call has a resend left)'),
  ...INPUT_FIELDS,
});

/**
 * Asks for the one-time code. A wrong code is an invalid try on this step and also uses one
 * of the code's own 3 tries (kept with the code, so nothing in a flow file can lift it).
 */
export const verifyCodeStep = defineStep<z.infer<typeof schema>>({
  type: 'verify-code',
  kind: 'input',
  maskKeys: 'code',
  schema: schema.describe(
    "Asks for the one-time code; a wrong one uses one of the code's own 3 tries, and * then # sends " + 'a new one.',
  ),
  enter(step, ctx) {
    ctx.say(gather(ctx, step.timeout, { numDigits: OTP_POLICY.length, finishOnKey: '#' }), step.prompt);
    return { wait: true };
  },
  async input(step, ctx, digits) {
    if (digits === '') return { retry: 'noInput' };
    if (digits === step.resendKey) return { goto: step.onResend };
    const msisdn = ctx.call.msisdn;
    if (!/^\d+$/.test(digits) || digits.length !== OTP_POLICY.length || !msisdn) return { retry: 'invalid' };
    // Wrong codes for a number count across calls too: a locked number takes no more guesses.
    if (!(await ctx.guard.locked(msisdn)).ok) return { exhausted: true };
    switch (await ctx.otp.check(ctx.call.callSid, msisdn, digits)) {
      case 'ok':
        ctx.call.verified = true;
        return { goto: step.next };
      case 'wrong':
        await ctx.guard.wrongCode(msisdn);
        return { retry: 'invalid' };
      case 'exhausted':
        await ctx.guard.wrongCode(msisdn);
        return { exhausted: true };
      case 'expired':
        ctx.say(ctx.twiml, step.expiredPrompt);
        return { goto: step.onResend };
    }
  },
  check(step, flow) {
    const target = flow.steps[step.onResend];
    return target && target.type !== 'send-code'
      ? [{ path: ['onResend'], message: `must be a send-code step, not ${target.type}` }]
      : [];
  },
});
