import { z } from 'zod';
import { STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({ type: z.literal('goto'), next: STEP_ID });

/** Jumps to another step: lets several branches share one target name. */
export const gotoStep = defineStep<z.infer<typeof schema>>({
  type: 'goto',
  kind: 'action',
  pure: true,
  schema: schema.describe('Jumps to another step, so several branches can share one target name.'),
  enter: (step) => ({ goto: step.next }),
});
