import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { BootlineError } from '../errors.js';
import { maskPhone } from '../platform/mask.js';
import { destinationRefusals } from '../platform/metrics.js';
import { isE164 } from '../platform/e164.js';

export interface DestinationPolicy {
  /** ISO 3166 alpha-2 countries a push or code may go to. */
  readonly countries: readonly string[];
  /** libphonenumber number types allowed (MOBILE, FIXED_LINE_OR_MOBILE, …). */
  readonly types: readonly string[];
}

/**
 * The worker's own check of a destination, whatever the flow that queued it allowed: a flow
 * file edited carelessly, a bug, or a job added by hand cannot send to a premium-rate range
 * or a country the operator does not serve. Throws DESTINATION_REFUSED (permanent).
 */
export function assertDestination(policy: DestinationPolicy, e164: string): void {
  const parsed = isE164(e164) ? parsePhoneNumberFromString(e164) : undefined;
  const reason = !parsed?.isValid()
    ? 'invalid'
    : !parsed.country || !policy.countries.includes(parsed.country)
      ? 'country'
      : !policy.types.includes(parsed.getType() ?? 'UNKNOWN')
        ? 'type'
        : null;
  if (!reason) return;
  destinationRefusals.inc({ reason });
  throw new BootlineError(
    'DESTINATION_REFUSED',
    `destination ${maskPhone(e164)} refused by the destination policy (${reason})`,
    { reason },
  );
}
