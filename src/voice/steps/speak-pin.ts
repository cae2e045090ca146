import { z } from 'zod';
import { randomDigits } from '../../platform/random-digits.js';
import { seal } from '../../platform/seal.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({
  type: z.literal('speak-pin'),
  prompt: PROMPT_KEY.describe('Uses {pin}'),
  next: STEP_ID,
});

/**
 * Speaks the USERPIN the push will be signed with. The PIN is made once per call and kept
 * sealed (AES-GCM) in the call state, so a repeat or a replayed request speaks the same PIN.
 */
export const speakPinStep = defineStep<z.infer<typeof schema>>({
  type: 'speak-pin',
  kind: 'action',
  schema: schema.describe('Makes the USERPIN the push is signed with (once per call, kept sealed) and says it.'),
  enter(step, ctx) {
    const { call, services } = ctx;
    call.pinSealed ??= seal(services.sealKey, randomDigits(services.pinLength), call.callSid);
    ctx.say(ctx.twiml, step.prompt);
    return { goto: step.next };
  },
});
