import { z } from 'zod';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z
  .strictObject({
    type: z.literal('say'),
    prompt: PROMPT_KEY.optional(),
    play: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Audio file to play instead of (or after) the prompt'),
    next: STEP_ID,
  })
  .refine((s) => s.prompt !== undefined || s.play !== undefined, {
    message: 'say needs a prompt, a play URL, or both',
  });

/** Speaks one prompt (and/or plays a recording) and moves on. */
export const sayStep = defineStep<z.infer<typeof schema>>({
  type: 'say',
  kind: 'action',
  pure: true,
  schema: schema.describe('Says a prompt and/or plays a recording, then moves on.'),
  enter(step, ctx) {
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    if (step.play) ctx.twiml.play(step.play);
    return { goto: step.next };
  },
});
