import { z } from 'zod';
import { PROMPT_KEY } from '../flow.js';
import { defineStep } from '../context.js';
import { outcomeOf } from '../trace/events.js';

const schema = z.strictObject({ type: z.literal('hangup'), prompt: PROMPT_KEY.optional() });

/** Optionally says goodbye, then ends the call. */
export const hangupStep = defineStep<z.infer<typeof schema>>({
  type: 'hangup',
  kind: 'end',
  pure: true,
  schema: schema.describe('Optionally says goodbye, then ends the call.'),
  enter(step, ctx) {
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    ctx.twiml.hangup();
    ctx.note({ kind: 'end', step: ctx.stepId, outcome: outcomeOf(ctx.call) });
    return { end: true };
  },
});
