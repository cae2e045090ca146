/**
 * The shape of an international number as bootline stores and sends it (ITU-T E.164 §6: at
 * most 15 digits; the country code never starts with 0): '+' and 7 to 15 digits. The shape
 * only; whether a number exists or may be called is libphonenumber's and the destination
 * policy's question.
 */
export const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(s: unknown): s is string {
  return typeof s === 'string' && E164.test(s);
}
