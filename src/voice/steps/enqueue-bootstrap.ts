import { z } from 'zod';
import { BootlineError } from '../../errors.js';
import { bootstrapIdForCall } from '../../deliveries/ids.js';
import { maskPhone } from '../../platform/mask.js';
import { unseal } from '../../platform/seal.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({
  type: z.literal('enqueue-bootstrap'),
  next: STEP_ID,
  onLimit: z
    .strictObject({
      prompt: PROMPT_KEY,
      callerPrompt: PROMPT_KEY.optional().describe(
        "Said instead of prompt when the limit hit is the caller's own (too many set-ups asked from this phone)",
      ),
      next: STEP_ID,
    })
    .optional()
    .describe(
      'A bootstrap rate limit (caller, destination, prefix, country, global) refused the push; ' +
        "without it the flow's onError route plays",
    ),
});

/**
 * Asks the intake for the push to the confirmed, verified number with the PIN spoken earlier
 * in this call. Idempotent per call (the bootstrap id derives from the CallSid). The shared
 * bootstrap rate limits are checked first: a refused push queues nothing.
 */
export const enqueueBootstrapStep = defineStep<z.infer<typeof schema>>({
  type: 'enqueue-bootstrap',
  kind: 'action',
  schema: schema.describe(
    'Asks the intake for the push to the confirmed, verified number; refused unless the number was ' +
      'verified in this call; idempotent per call.',
  ),
  async enter(step, ctx) {
    const { call, services } = ctx;
    if (!call.verified)
      throw new BootlineError('CALL_NOT_VERIFIED', 'enqueue-bootstrap reached before the number was verified', {
        step: ctx.stepId,
      });
    const pin = call.pinSealed ? unseal(services.sealKey, call.pinSealed, call.callSid) : null;
    if (!call.msisdn || pin === null) {
      throw new BootlineError('FLOW_INVALID', 'enqueue-bootstrap reached without a confirmed number and a spoken PIN', {
        step: ctx.stepId,
      });
    }
    const allowed = await ctx.guard.allow('bootstrap', { caller: ctx.params.from, destination: call.msisdn });
    if (!allowed.ok) {
      services.logger.warn(
        { callSid: call.callSid, to: maskPhone(call.msisdn), scope: allowed.scope, retryAfterS: allowed.retryAfterS },
        'bootstrap refused by a rate limit',
      );
      if (!step.onLimit)
        throw new BootlineError('RATE_LIMITED', `bootstrap refused by the ${allowed.scope} limit`, {
          scope: allowed.scope,
        });
      // The apology names the budget that ran out: the caller's own, or the destination's.
      const own = allowed.scope === 'caller' ? step.onLimit.callerPrompt : undefined;
      ctx.say(ctx.twiml, own ?? step.onLimit.prompt);
      return { goto: step.onLimit.next, reason: 'rate-limited' };
    }
    const now = new Date().toISOString();
    const { id } = await services.requestBootstrap({
      id: bootstrapIdForCall(call.callSid),
      msisdn: call.msisdn,
      // The hotline door: the caller id masked; a call an agent sent here names the agent's transfer.
      origin: {
        door: 'hotline',
        by: maskPhone(ctx.params.from) || 'anonymous',
        ...(call.agent ? { reference: `agent-${call.agent.transferId}` } : {}),
      },
      flowId: ctx.flow.id,
      pin,
      timeline: [
        {
          event: 'verified',
          at: now,
          detail: call.attestedCaller === call.msisdn ? 'attested caller id' : 'one-time code',
        },
        { event: 'pin-issued', at: now, detail: 'spoken' },
      ],
    });
    call.bootstrapId = id;
    ctx.note({ kind: 'push', step: ctx.stepId, bootstrapId: id, status: 'queued' });
    return { goto: step.next };
  },
  check(_step, flow) {
    // The push goes only to a number whose holder proved possession in this call.
    const verifies = Object.values(flow.steps).some((s) => s.type === 'verify-code');
    return verifies ? [] : [{ path: ['type'], message: 'a flow that queues a push needs a verify-code step' }];
  },
});
