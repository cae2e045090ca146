import { z } from 'zod';
import { defineStep } from '../context.js';

const schema = z.strictObject({ type: z.literal('hangup'), prompt: z.string().optional() });

/** Optionally says goodbye, then ends the call. */
export const hangupStep = defineStep<z.infer<typeof schema>>({
  type: 'hangup',
  schema,
  enter(step, ctx) {
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    ctx.twiml.hangup();
    return { end: true };
  },
});
