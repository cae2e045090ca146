import { z } from 'zod';
import { BootlineError } from '../../errors.js';
import { maskPhone } from '../../platform/mask.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';
import { otpSmsId } from '../otp.js';

const BRANCH = z.strictObject({ prompt: PROMPT_KEY, next: STEP_ID });
const schema = z.strictObject({
  type: z.literal('send-code'),
  prompt: PROMPT_KEY.describe('Said after sending, e.g. "We sent a code to {number}"'),
  smsPrompt: PROMPT_KEY.describe('The SMS text; must contain {code}'),
  next: STEP_ID.describe('The verify-code step'),
  skipTo: STEP_ID.optional().describe(
    'Where an A-attested caller calling from the entered number goes (verification.skipForAttestedCaller)',
  ),
  onLimit: BRANCH.describe('No sends left (one resend per call)'),
  onRateLimit: BRANCH.extend({
    callerPrompt: PROMPT_KEY.optional().describe(
      "Said instead of prompt when the limit hit is the caller's own (too many codes asked from this phone)",
    ),
  })
    .optional()
    .describe(
      'A rate limit (caller, destination, prefix, country, global) or a wrong-code lockout refused the send; ' +
        'default onLimit',
    ),
});

/**
 * Sends a one-time code as a text SMS to the entered number, through the same SMPP
 * transport as the push. Possession of that phone is what allows the push to be sent.
 * The code itself is never logged and sits in Redis only sealed, for 5 minutes (otp.ts).
 * The shared rate limits are checked first: a refused send sends nothing.
 */
export const sendCodeStep = defineStep<z.infer<typeof schema>>({
  type: 'send-code',
  kind: 'action',
  schema: schema.describe(
    'Sends a one-time code (6 digits, 5 minutes, 3 tries, one resend per call) as a text SMS to the ' +
      'entered number; the shared rate limits are checked first.',
  ),
  async enter(step, ctx) {
    const { call, flow, services } = ctx;
    if (!call.msisdn)
      throw new BootlineError('FLOW_INVALID', 'send-code reached without a number', { step: ctx.stepId });
    if (flow.verification.skipForAttestedCaller && step.skipTo && call.attestedCaller === call.msisdn) {
      call.verified = true;
      services.logger.info(
        { callSid: call.callSid, to: maskPhone(call.msisdn) },
        'code skipped: caller ID is the number, A-level attestation',
      );
      return { goto: step.skipTo };
    }
    const allowed = await ctx.guard.allow('code', { caller: ctx.params.from, destination: call.msisdn });
    if (!allowed.ok) {
      services.logger.warn(
        { callSid: call.callSid, to: maskPhone(call.msisdn), scope: allowed.scope, retryAfterS: allowed.retryAfterS },
        'code refused by a rate limit',
      );
      const branch = step.onRateLimit ?? step.onLimit;
      // The apology names the budget that ran out: the caller's own, or the destination's.
      const own = allowed.scope === 'caller' ? step.onRateLimit?.callerPrompt : undefined;
      ctx.say(ctx.twiml, own ?? branch.prompt);
      return { goto: branch.next, reason: 'rate-limited' };
    }
    const issued = await ctx.otp.issue(call.callSid, call.msisdn);
    if (!issued) {
      ctx.say(ctx.twiml, step.onLimit.prompt);
      return { goto: step.onLimit.next, reason: 'code-limit' };
    }
    const text = ctx.text(step.smsPrompt, { code: issued.code });
    await services.sendText({ id: otpSmsId(call.callSid, issued.send), callSid: call.callSid, to: call.msisdn, text });
    services.logger.info(
      { callSid: call.callSid, to: maskPhone(call.msisdn), send: issued.send },
      'one-time code queued',
    );
    ctx.note({ kind: 'sms', step: ctx.stepId, to: maskPhone(call.msisdn), send: issued.send });
    ctx.say(ctx.twiml, step.prompt);
    return { goto: step.next };
  },
  check(step, flow) {
    const skip = flow.verification.skipForAttestedCaller;
    return skip && !step.skipTo
      ? [{ path: ['skipTo'], message: 'verification.skipForAttestedCaller is on: say where a verified caller goes' }]
      : [];
  },
});
