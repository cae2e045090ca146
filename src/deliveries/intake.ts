/**
 * Owns the one way a bootstrap begins, whatever door it came through (the hotline, the web
 * page, a point of sale, a batch, a network event): validate the request, create the record
 * with its origin, choices, sealed PIN and first timeline events, queue the push job, and
 * follow up (outbound events). Idempotent by id: doors derive the id from what they are
 * given (hotline `bs-<CallSid>`, POS the Idempotency-Key, batch `<batchId>-<row>`, network the
 * event id), so a repeated request changes nothing and answers the same bootstrap.
 */
import type { Queue } from 'bullmq';
import type { DeviceProfileTable } from '../codec/profiles/device-profiles.js';
import { USERPINMAC_MIN_KEY } from '../codec/security/mac.js';
import type { DataCoding } from '../codec/sms/segment.js';
import { BootlineError } from '../errors.js';
import { isE164 } from '../platform/e164.js';
import { randomDigits } from '../platform/random-digits.js';
import { addJob, QUEUES, type BootstrapJobData } from '../queues/catalogue.js';
import { chooseForRequest, type DeviceChoice } from './device-choice.js';
import type { FollowUp } from './follow-up.js';
import type { BootstrapState } from './lifecycle.js';
import { DOORS, type Origin, type Profile, type SecMethod } from './record.js';
import type { BootstrapStore } from './store/store.js';
import type { SeedEvent } from './timeline.js';

export interface BootstrapRequest {
  /** `[A-Za-z0-9_-]{1,80}`, derived by the door from what makes its request unique. */
  readonly id: string;
  /** E.164, checked by the door against its own policy. */
  readonly msisdn: string;
  readonly origin: Origin;
  /** The voice flow that asked (hotline); empty for other doors. */
  readonly flowId?: string;
  /** Fixed by the door; default: the device profile's (device-choice.ts). */
  readonly profile?: Profile;
  /** Fixed by the door; default: the device profile's, else PUSH_SECURITY. */
  readonly sec?: SecMethod;
  /**
   * 14–16 digits; required by the DM profile (its device id), and its TAC chooses the device
   * profile. Kept sealed; its TAC in clear.
   */
  readonly imei?: string;
  /** A device profile name of the table: chosen whatever the TAC says. */
  readonly deviceProfile?: string;
  /**
   * The PIN the requester already has (spoken by the hotline); generated when the SEC method
   * needs one and none is given.
   */
  readonly pin?: string;
  /** Events the door saw before asking, with their times (verified, pin-issued). */
  readonly timeline?: readonly SeedEvent[];
}

export interface IntakeResult {
  readonly id: string;
  /** False for a repeat of a request already taken (nothing changed). */
  readonly created: boolean;
  readonly state: BootstrapState;
  /** The PIN the intake generated, returned once: only on the request that created it. */
  readonly pin?: string;
}

export interface IntakeDeps {
  readonly store: BootstrapStore;
  readonly queue: Queue<BootstrapJobData>;
  /** Outbound events of the first state; absent where nobody listens (tests of the record alone). */
  readonly followUp?: FollowUp;
  /**
   * PUSH_SECURITY, SMS_DATA_CODING and the PIN length. Without a SEC method (a test feeding a
   * worker of its own) or data coding the record names none and the worker's config decides.
   * `profile` is what the doors show as their default: the device-profile table's default's.
   */
  readonly defaults: {
    readonly sec?: SecMethod;
    readonly profile: Profile;
    readonly pinLength: number;
    readonly dataCoding?: DataCoding;
  };
  /** The device-profile table (config DEVICE_PROFILES_FILE); default: the built-in one. */
  readonly deviceProfiles?: DeviceProfileTable;
}

const ID = /^[A-Za-z0-9_-]{1,80}$/;
/** Plain text for people reading a record: any printable characters, no controls or line breaks. */
const TEXT = /^[^\p{C}]{1,100}$/u;

function bad(message: string): BootlineError {
  return new BootlineError('BAD_REQUEST', message);
}

/** Checks a request's shape and chooses its device profile (device-choice.ts): what the record will say. */
function check(req: BootstrapRequest, deps: IntakeDeps): DeviceChoice {
  if (!ID.test(req.id)) throw bad('id must be 1-80 letters, digits, "-" or "_"');
  if (!isE164(req.msisdn)) throw bad('msisdn must be an E.164 number, e.g. +447700900123');
  if (!DOORS.includes(req.origin?.door)) throw bad(`origin.door must be one of ${DOORS.join(', ')}`);
  if (typeof req.origin.by !== 'string' || (req.origin.by !== '' && !TEXT.test(req.origin.by)))
    throw bad('origin.by must be up to 100 printable characters');
  if (req.origin.reference !== undefined && !TEXT.test(req.origin.reference))
    throw bad('origin.reference must be 1-100 plain characters');
  if (req.sec !== undefined && !['USERPIN', 'NETWPIN', 'USERNETWPIN', 'USERPINMAC'].includes(req.sec))
    throw bad(`unknown SEC method ${req.sec}`);
  if (req.profile !== undefined && req.profile !== 'cp' && req.profile !== 'dm') throw bad('profile must be cp or dm');
  if (req.imei !== undefined && !/^\d{14,16}$/.test(req.imei)) throw bad('imei must be 14-16 digits');
  if (req.deviceProfile !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(req.deviceProfile))
    throw bad('deviceProfile must be a device profile name');
  const choice = chooseForRequest(deps.deviceProfiles, req, deps.defaults);
  const { sec, profile, deviceProfile } = choice;
  if (profile === 'dm' && !req.imei)
    throw bad(`the DM profile (device profile ${deviceProfile}) needs the IMEI (the DM account is bound to it)`);
  if (req.pin !== undefined) {
    const [min, max] = sec === 'USERPINMAC' ? [USERPINMAC_MIN_KEY, 20] : [4, 10];
    if (!new RegExp(`^\\d{${min},${max}}$`).test(req.pin)) throw bad(`pin must be ${min}-${max} digits for ${sec}`);
  }
  for (const e of req.timeline ?? []) {
    if ((e.event !== 'verified' && e.event !== 'pin-issued') || Number.isNaN(Date.parse(e.at)))
      throw bad('timeline seeds are {event: verified|pin-issued, at: ISO time}');
  }
  return choice;
}

/**
 * Takes a bootstrap request from any door. Every step is idempotent and runs on every call,
 * so a repeat heals a crash between them: the record is created once (a repeat with another
 * number is refused, BOOTSTRAP_ID_CONFLICT), the push job is added once (its id is the
 * bootstrap's), and the outbound events not yet queued are queued.
 */
export async function requestBootstrap(deps: IntakeDeps, req: BootstrapRequest): Promise<IntakeResult> {
  const choice = check(req, deps);
  const { sec } = choice;
  const needsPin = sec !== 'NETWPIN';
  const length = sec === 'USERPINMAC' ? Math.max(deps.defaults.pinLength, USERPINMAC_MIN_KEY) : deps.defaults.pinLength;
  const generated = needsPin && req.pin === undefined ? randomDigits(length) : undefined;
  try {
    const created = await deps.store.create({
      id: req.id,
      msisdn: req.msisdn,
      flowId: req.flowId ?? '',
      pin: needsPin ? (req.pin ?? generated) : null,
      origin: req.origin,
      ...choice,
      ...(req.imei ? { imei: req.imei } : {}),
      seeds: req.timeline ?? [],
      pinIssuedNow: generated !== undefined,
    });
    const brief = created ? null : await deps.store.brief(req.id);
    if (brief && brief.msisdn !== req.msisdn)
      throw new BootlineError('BOOTSTRAP_ID_CONFLICT', `bootstrap ${req.id} exists for another number`);
    await addJob(deps.queue, QUEUES.bootstrap, { bootstrapId: req.id }, req.id);
    await deps.followUp?.(req.id, created ? { status: 'queued', round: 1 } : undefined);
    return {
      id: req.id,
      created,
      state: brief?.status ?? 'queued',
      ...(created && generated ? { pin: generated } : {}),
    };
  } catch (err) {
    if (err instanceof BootlineError && err.code === 'BOOTSTRAP_ID_CONFLICT') throw err;
    throw new BootlineError(
      'QUEUE_UNAVAILABLE',
      'could not queue the bootstrap',
      { bootstrapId: req.id },
      { cause: err },
    );
  }
}
