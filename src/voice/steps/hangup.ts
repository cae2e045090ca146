import { z } from 'zod';
import { PROMPT_KEY } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({ type: z.literal('hangup'), prompt: PROMPT_KEY.optional() });

/** Optionally says goodbye, then ends the call. */
export const hangupStep = defineStep<z.infer<typeof schema>>({
  type: 'hangup',
  kind: 'end',
  pure: true,
  schema,
  enter(step, ctx) {
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    ctx.twiml.hangup();
    return { end: true };
  },
});
