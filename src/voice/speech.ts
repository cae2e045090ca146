import type { LanguageSettings } from './flow.js';
import { supportsSsml } from './voices.js';

/** A placeholder's value: plain words, or digit groups to be read one digit at a time. */
export type Spoken = string | { readonly digits: readonly string[] };

/** Anything that can hold a <Say>: the response itself or a <Gather>. */
export interface SayParent {
  say(attributes: object, message: string): SsmlSay;
}

interface SsmlSay {
  addText(text: string): void;
  sayAs(attributes: { 'interpret-as': 'digits' }, words: string): unknown;
  break(attributes: { strength: 'medium' }): unknown;
}

type Part = { readonly text: string } | { readonly name: string };

/** "You entered {number}." → [text, var, text]. Unknown names stay literal text. */
export function splitPrompt(text: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ name: m[1]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** "0 7 4 0 0, 1 2 3 4 5 6": spaces make every TTS engine read single digits; commas pause. */
export function plainDigits(groups: readonly string[]): string {
  return groups.map((g) => g.split('').join(' ')).join(', ');
}

function plain(value: Spoken | undefined, name: string): string {
  if (value === undefined) return `{${name}}`;
  return typeof value === 'string' ? value : plainDigits(value.digits);
}

/** The prompt as plain text (what a caller hears; also the text of an SMS). */
export function fillPrompt(text: string, vars: Readonly<Record<string, Spoken>>): string {
  return splitPrompt(text)
    .map((p) => ('text' in p ? p.text : plain(vars[p.name], p.name)))
    .join('');
}

/**
 * Adds one <Say> for a prompt. Digit values are read digit by digit: with SSML
 * `<say-as interpret-as="digits">` per group and a `<break>` between groups when the voice
 * supports SSML (Polly, Google), otherwise as spaced digits, which basic voices read well.
 */
export function sayPrompt(
  parent: SayParent,
  lang: LanguageSettings,
  text: string,
  vars: Readonly<Record<string, Spoken>>,
): void {
  const attrs = { voice: lang.voice, language: lang.language };
  const parts = splitPrompt(text);
  const usesDigits = parts.some((p) => 'name' in p && typeof vars[p.name] === 'object');
  if (!usesDigits || !supportsSsml(lang.voice)) {
    parent.say(attrs, fillPrompt(text, vars));
    return;
  }
  const say = parent.say(attrs, '');
  for (const p of parts) {
    const value = 'name' in p ? vars[p.name] : undefined;
    if ('text' in p) say.addText(p.text);
    else if (typeof value === 'object') {
      value.digits.forEach((group, i) => {
        if (i > 0) say.break({ strength: 'medium' });
        say.sayAs({ 'interpret-as': 'digits' }, group);
      });
    } else say.addText(plain(value, p.name));
  }
}

/** Groups a PIN or code for reading: threes ("482 173"), pairs for a 4-digit PIN. */
export function pinGroups(pin: string): string[] {
  const size = pin.length === 4 ? 2 : 3;
  const out: string[] = [];
  for (let i = 0; i < pin.length; i += size) out.push(pin.slice(i, i + size));
  return out;
}
