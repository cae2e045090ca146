import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhonePolicy } from './flow.js';

export type PhoneCheck =
  | { readonly ok: true; readonly e164: string; readonly national: string; readonly country: string }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'country' | 'type' };

/**
 * Turns keypad digits into an E.164 number under the flow's policy. Callers type national
 * numbers ("07400123456"), or international ones with 00 or * standing for "+"; anything
 * else with letters or symbols is invalid. libphonenumber's full metadata checks digits and
 * line type, so premium-rate and other non-mobile numbers fail the type rule.
 */
export function checkPhone(digits: string, policy: PhonePolicy): PhoneCheck {
  if (digits === '') return { ok: false, reason: 'empty' };
  if (!/^(\*|00)?\d{3,17}$/.test(digits)) return { ok: false, reason: 'invalid' };
  const text = digits.startsWith('*')
    ? '+' + digits.slice(1)
    : digits.startsWith('00')
      ? '+' + digits.slice(2)
      : digits;
  const parsed = parsePhoneNumberFromString(
    text,
    policy.defaultRegion as Parameters<typeof parsePhoneNumberFromString>[1],
  );
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid' };
  if (!parsed.country || !policy.allowedCountries.includes(parsed.country)) return { ok: false, reason: 'country' };
  const type = parsed.getType();
  if (!type || !(policy.allowedTypes as string[]).includes(type)) return { ok: false, reason: 'type' };
  return { ok: true, e164: parsed.number, national: parsed.formatNational(), country: parsed.country };
}

/** "07400 123456" → ["07400", "123456"]: the national grouping, read with a pause between groups. */
export function nationalGroups(formatted: string): string[] {
  return formatted.split(/[^\d]+/).filter(Boolean);
}

/** "07400 123456" → "0 7 4 0 0, 1 2 3 4 5 6": digit by digit, pausing between groups. */
export function speakDigitsGrouped(formatted: string): string {
  return formatted
    .split(/[^\d]+/)
    .filter(Boolean)
    .map((g) => g.split('').join(' '))
    .join(', ');
}

/** "482173" → "4, 8, 2, 1, 7, 3": commas make every TTS engine read single digits. */
export function speakDigits(digits: string): string {
  return digits.split('').join(', ');
}
