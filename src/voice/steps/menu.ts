import { z } from 'zod';
import { DTMF_KEY, LANG_KEY, STEP_ID } from '../flow.js';
import { defineStep } from '../context.js';
import { INPUT_FIELDS, gather } from './common.js';

const OPTION = z.strictObject({
  next: STEP_ID,
  language: LANG_KEY.optional().describe('Switch the call to this language (a language menu)'),
});

const schema = z.strictObject({
  type: z.literal('menu'),
  options: z
    .record(DTMF_KEY, OPTION)
    .refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option')
    .describe('Key → where it goes (next) and, for a language menu, the language it switches to'),
  ...INPUT_FIELDS,
  allLanguages: z
    .boolean()
    .default(false)
    .describe('Say the prompt in every declared language, each in its own voice (a language menu)'),
});

/** "Press N": one key, each option a branch; an option may also switch the call's language. */
export const menuStep = defineStep<z.infer<typeof schema>>({
  type: 'menu',
  kind: 'input',
  pure: true,
  schema: schema.describe(
    "Press N: one key, each option a branch; an option may also switch the call's language (a " + 'language menu).',
  ),
  enter(step, ctx) {
    const g = gather(ctx, step.timeout, { numDigits: 1 });
    if (step.allLanguages) for (const lang of Object.keys(ctx.flow.languages)) ctx.say(g, step.prompt, {}, lang);
    else ctx.say(g, step.prompt);
    return { wait: true };
  },
  input(step, ctx, digits) {
    if (digits === '') return { retry: 'noInput' };
    const option = Object.hasOwn(step.options, digits) ? step.options[digits] : undefined;
    if (!option) return { retry: 'invalid' };
    if (option.language) ctx.call.lang = option.language;
    return { goto: option.next };
  },
});
