/**
 * Masks a phone number for logs and metrics: keeps the country-code-ish prefix and the last
 * three digits, stars the rest ("+447700900123" → "+44*******123"). Anything shorter than
 * six digits is fully starred: it is either not a number or too short to mask meaningfully.
 */
export function maskPhone(raw: string | undefined | null): string {
  if (!raw) return '';
  const plus = raw.startsWith('+') ? '+' : '';
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 6) return plus + '*'.repeat(digits.length);
  return plus + digits.slice(0, 2) + '*'.repeat(digits.length - 5) + digits.slice(-3);
}

/** Long digit runs (phone numbers, PINs, codes, IMSIs) inside free text are starred. */
export function scrubDigits(text: string): string {
  return text.replace(/\+?\d[\d\s-]{4,}\d/g, (m) => maskPhone(m));
}
