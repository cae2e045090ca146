import { z } from 'zod';
import { isBootlineError } from '../../errors.js';
import { assertDestination, type DestinationPolicy } from '../../policy/destination.js';
import { needsUserPin, type BootstrapIntake, type Profile, type SecMethod } from '../intake.js';
import { BOOTSTRAP_FIELDS, issuesText } from '../schemas.js';

/** What one valid row holds (sealed at rest: the number, and a PIN when the SEC method needs one). */
export interface BatchRow {
  readonly msisdn: string;
  readonly profile: Profile;
  readonly sec: SecMethod;
  readonly imei?: string;
  readonly reference?: string;
  readonly pin?: string;
}

export const ROW_COLUMNS = ['msisdn', 'profile', 'sec', 'imei', 'reference', 'pin'] as const;

const ROW = z.strictObject({
  ...BOOTSTRAP_FIELDS,
  pin: z
    .string()
    .regex(/^\d{4,16}$/, 'must be 4-16 digits')
    .optional(),
});

export type RowCheck = { readonly ok: true; readonly row: BatchRow } | { readonly ok: false; readonly error: string };

/**
 * One row checked before anything is pushed: its fields, the choices this deployment can push,
 * the destination policy. A batch has nobody to show a PIN to, so a SEC method with a user PIN
 * needs the row's own `pin` (printed in the box, sent by the retailer); NETWPIN needs none.
 */
export function checkRow(
  fields: Record<string, unknown>,
  o: {
    readonly defaults: { profile?: Profile; sec?: SecMethod };
    readonly intake: Pick<BootstrapIntake, 'supports' | 'defaults'>;
    readonly destination: DestinationPolicy;
  },
): RowCheck {
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '' && v !== null));
  const parsed = ROW.safeParse(present);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  const r = parsed.data;
  const profile = r.profile ?? o.defaults.profile ?? o.intake.defaults.profile;
  const sec = r.sec ?? o.defaults.sec ?? o.intake.defaults.sec;
  if (!o.intake.supports.profiles.includes(profile) || !o.intake.supports.secs.includes(sec))
    return {
      ok: false,
      error:
        `this deployment pushes profile ${o.intake.supports.profiles.join('/')} signed ` +
        `${o.intake.supports.secs.join('/')}, not ${profile} ${sec}`,
    };
  if (needsUserPin(sec) && !r.pin) return { ok: false, error: `pin: ${sec} needs the PIN the user will type` };
  if (!needsUserPin(sec) && r.pin) return { ok: false, error: `pin: ${sec} has no user PIN; leave it empty` };
  try {
    assertDestination(o.destination, r.msisdn);
  } catch (err) {
    if (isBootlineError(err, 'DESTINATION_REFUSED')) return { ok: false, error: `msisdn: ${err.message}` };
    throw err;
  }
  return {
    ok: true,
    row: {
      msisdn: r.msisdn,
      profile,
      sec,
      ...(r.imei ? { imei: r.imei } : {}),
      ...(r.reference ? { reference: r.reference } : {}),
      ...(r.pin ? { pin: r.pin } : {}),
    },
  };
}
