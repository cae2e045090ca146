import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface NumberPolicy {
  /** Where a national number ("07400 123456") is read as dialled. */
  readonly defaultRegion: string;
  /** ISO 3166 alpha-2 countries accepted. */
  readonly countries: readonly string[];
  /** libphonenumber number types accepted (MOBILE, FIXED_LINE_OR_MOBILE, …). */
  readonly types: readonly string[];
}

export type NumberCheck =
  | { readonly ok: true; readonly e164: string; readonly national: string; readonly country: string }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'country' | 'type' };

/**
 * A number as a person types it into a form or an integrator sends it: national or
 * international ("+44 7400 123456", "0044…", "07400-123456"), spaces, dots, dashes and
 * brackets allowed, nothing else. libphonenumber's full metadata checks the digits and the
 * line type, so premium-rate and other non-mobile ranges fail the type rule.
 */
export function checkNumber(text: string, policy: NumberPolicy): NumberCheck {
  const raw = text.trim();
  if (raw === '') return { ok: false, reason: 'empty' };
  if (!/^\+?[\d\s().-]{3,30}$/.test(raw)) return { ok: false, reason: 'invalid' };
  const compact = raw.replace(/[\s().-]/g, '');
  const international = compact.startsWith('00') ? '+' + compact.slice(2) : compact;
  const parsed = parsePhoneNumberFromString(international, policy.defaultRegion as CountryCode);
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid' };
  if (!parsed.country || !policy.countries.includes(parsed.country)) return { ok: false, reason: 'country' };
  const type = parsed.getType();
  if (!type || !policy.types.includes(type)) return { ok: false, reason: 'type' };
  return { ok: true, e164: parsed.number, national: parsed.formatNational(), country: parsed.country };
}
