import { z } from 'zod';
import { PROMPT_KEY, RETRY_BRANCH_SCHEMA, STEP_ID } from '../flow.js';
import type { StepContext } from '../context.js';

/**
 * Fields every input step has: the prompt (nested in the Gather so keys interrupt it), the
 * Gather timeout, how many tries, and explicit branches for silence, wrong keys and the last try.
 */
export const INPUT_FIELDS = {
  prompt: PROMPT_KEY,
  timeout: z.number().int().min(1).max(30).default(8).describe('Seconds of silence before the Gather gives up'),
  maxAttempts: z.number().int().min(1).max(5).default(3).describe('Tries, counted on the server per call'),
  onNoInput: RETRY_BRANCH_SCHEMA.describe('Silence: say prompt, then ask again (or go to next)'),
  onInvalid: RETRY_BRANCH_SCHEMA.describe('Wrong keys: say prompt, then ask again (or go to next)'),
  onMaxAttempts: STEP_ID.describe('Where the call goes after the last try'),
} as const;

/**
 * The Gather every input step renders. actionOnEmptyResult makes silence come back to us
 * (otherwise Twilio falls through and ends the call), so tries are counted server side.
 */
export function gather(ctx: StepContext, timeout: number, extra: { numDigits?: number; finishOnKey?: string } = {}) {
  return ctx.twiml.gather({
    action: ctx.actionUrl(),
    method: 'POST',
    input: ['dtmf'],
    ...extra,
    timeout,
    actionOnEmptyResult: true,
  });
}
