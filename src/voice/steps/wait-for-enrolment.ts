import { z } from 'zod';
import { BootlineError } from '../../errors.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({
  type: z.literal('wait-for-enrolment'),
  prompt: PROMPT_KEY.optional().describe('Said once, when the wait starts (may use {pin})'),
  pollSeconds: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('Seconds of <Pause> between status checks while the caller holds'),
  timeout: z.number().int().min(1).max(600).default(90).describe('Seconds before onTimeout'),
  next: STEP_ID.describe('The handset opened its DM session: the bootstrap is enrolled'),
  onAuthFailed: STEP_ID.describe('The handset reached the DM server but failed authentication'),
  onFailed: STEP_ID.describe('The push itself failed or expired'),
  onTimeout: STEP_ID.describe('No DM session within the timeout (or the enrolment window ran out)'),
  onUntracked: STEP_ID.describe(
    'Enrolment is not tracked (ENROLMENT_WINDOW_S=0: no DM server reports sessions): the step is skipped to here',
  ),
});

/**
 * Holds the caller after the delivery receipt until the handset has used the message: the DM
 * server reports the device's first session (OMA-TS-DM_Protocol: the Bootstrap Message must
 * let the client "initiate a management session"). Like wait-for-delivery, each turn reads the
 * bootstrap and either branches or answers <Pause> + <Redirect> back here, so no webhook
 * blocks. Re-entering a wait later in the call needs a step of its own (the timer is per step).
 */
export const waitForEnrolmentStep = defineStep<z.infer<typeof schema>>({
  type: 'wait-for-enrolment',
  kind: 'wait',
  schema: schema.describe(
    "Holds the caller after delivery until the DM server reports the handset's first session " +
      '(skipped when ENROLMENT_WINDOW_S is 0).',
  ),
  async enter(step, ctx) {
    const { call, services } = ctx;
    if (!call.bootstrapId)
      throw new BootlineError('FLOW_INVALID', 'wait-for-enrolment reached before enqueue-bootstrap', {
        step: ctx.stepId,
      });
    if (!services.enrolmentTracked || !services.bootstrapState)
      return { goto: step.onUntracked, reason: 'enrolment-untracked' };
    const since = (call.since ??= {});
    const first = since[ctx.stepId] === undefined;
    const started = (since[ctx.stepId] ??= Date.now());
    const s = await services.bootstrapState(call.bootstrapId);
    if (s?.status === 'enrolled') return { goto: step.next, reason: 'enrolled' };
    if (s?.status === 'failed' && s.cause === 'DM_AUTH_FAILED')
      return { goto: step.onAuthFailed, reason: 'auth-failed' };
    if (s?.status === 'failed' || s?.status === 'expired') return { goto: step.onFailed, reason: `push-${s.status}` };
    if (s?.status === 'not-enrolled' || Date.now() - started >= step.timeout * 1000)
      return { goto: step.onTimeout, reason: 'enrolment-timeout' };
    if (first && step.prompt) ctx.say(ctx.twiml, step.prompt);
    ctx.twiml.pause({ length: step.pollSeconds });
    ctx.twiml.redirect({ method: 'POST' }, ctx.actionUrl());
    return { wait: true };
  },
});
