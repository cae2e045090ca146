import { z } from 'zod';
import { defineStep } from '../context.js';

const schema = z.strictObject({ type: z.literal('say'), prompt: z.string(), next: z.string() });

/** Speaks one prompt and moves on. */
export const sayStep = defineStep<z.infer<typeof schema>>({
  type: 'say',
  schema,
  enter(step, ctx) {
    ctx.say(ctx.twiml, step.prompt);
    return { goto: step.next };
  },
});
