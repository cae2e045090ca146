import { z } from 'zod';
import { BootlineError } from '../../errors.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({
  type: z.literal('wait-for-delivery'),
  prompt: PROMPT_KEY.optional().describe('Said once, when the wait starts'),
  until: z
    .enum(['submitted', 'delivered'])
    .default('delivered')
    .describe('Stop waiting when the SMSC accepted, or the handset received, the push'),
  pollSeconds: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('Seconds of <Pause> between status checks while the caller holds'),
  timeout: z.number().int().min(1).max(300).default(60).describe('Seconds before onTimeout'),
  next: STEP_ID,
  onFailed: STEP_ID.describe('The push failed or expired'),
  onTimeout: STEP_ID,
});

/**
 * Holds the caller while the worker sends the push: each turn reads the bootstrap status
 * and either moves on or answers <Pause> + <Redirect> back here, so no webhook ever blocks
 * (Twilio gives a webhook 15 s in total).
 */
export const waitForDeliveryStep = defineStep<z.infer<typeof schema>>({
  type: 'wait-for-delivery',
  kind: 'wait',
  schema: schema.describe(
    'Holds the caller with <Pause> + <Redirect> until the push is submitted or delivered (no webhook ' + 'blocks).',
  ),
  async enter(step, ctx) {
    const { call, services } = ctx;
    if (!call.bootstrapId)
      throw new BootlineError('FLOW_INVALID', 'wait-for-delivery reached before enqueue-bootstrap', {
        step: ctx.stepId,
      });
    const since = (call.since ??= {});
    const first = since[ctx.stepId] === undefined;
    const started = (since[ctx.stepId] ??= Date.now());
    const status = await services.bootstrapStatus(call.bootstrapId);
    const seen = (what: string) =>
      ctx.note({ kind: 'push', step: ctx.stepId, bootstrapId: call.bootstrapId!, status: what });
    // Past delivered (the DM server already reported the handset's session, or its window ran out): delivered.
    // A handset that reached the DM server had the message, though it then failed to sign in (failed,
    // DM_AUTH_FAILED): delivered too, and wait-for-enrolment after it tells the caller so.
    const done =
      status === 'delivered' ||
      status === 'enrolled' ||
      status === 'not-enrolled' ||
      (status === 'failed' && (await services.bootstrapState?.(call.bootstrapId))?.cause === 'DM_AUTH_FAILED');
    if (done || (status === 'submitted' && step.until === 'submitted')) {
      seen(status);
      return { goto: step.next };
    }
    if (status === 'failed' || status === 'expired') {
      seen(status);
      return { goto: step.onFailed, reason: `push-${status}` };
    }
    if (Date.now() - started >= step.timeout * 1000) {
      seen('timeout');
      return { goto: step.onTimeout, reason: 'push-timeout' };
    }
    if (first) seen(status ?? 'unknown');
    if (first && step.prompt) ctx.say(ctx.twiml, step.prompt);
    ctx.twiml.pause({ length: step.pollSeconds });
    ctx.twiml.redirect({ method: 'POST' }, ctx.actionUrl());
    return { wait: true };
  },
});
