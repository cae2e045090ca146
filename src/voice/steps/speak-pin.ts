import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { seal, unseal } from '../../lib/seal.js';
import { defineStep } from '../context.js';
import { speakDigits } from '../phone.js';

const schema = z.strictObject({ type: z.literal('speak-pin'), prompt: z.string(), next: z.string() });

/** Uniform random digits from the CSPRNG (leading zeros allowed: the PIN is a string). */
export function randomPin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomInt(10));
  return pin;
}

/**
 * Speaks the USERPIN the push will be signed with. The PIN is made once per call and kept
 * sealed (AES-GCM) in the call state, so a replayed request speaks the same PIN again.
 */
export const speakPinStep = defineStep<z.infer<typeof schema>>({
  type: 'speak-pin',
  schema,
  enter(step, ctx) {
    const { call, services } = ctx;
    let pin = call.pinSealed ? unseal(services.sealKey, call.pinSealed, call.callSid) : null;
    if (pin === null) {
      pin = randomPin(services.pinLength);
      call.pinSealed = seal(services.sealKey, pin, call.callSid);
    }
    ctx.say(ctx.twiml, step.prompt, { pin: speakDigits(pin) });
    return { goto: step.next };
  },
});
