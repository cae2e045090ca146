/**
 * Owns which Bootstrap Message a request gets (docs/reference/device-profiles.md "How the
 * worker chooses"). The intake chooses once, when the record is made, and the record carries
 * every choice, so the push run builds what the record says (and a retry builds it again):
 * the SEC method decides whether the intake makes a PIN and how long it is, so it cannot wait
 * for the worker. The device profile comes from, in order:
 *
 *   1. the request naming one (`deviceProfile`)              → matchedBy `request`
 *   2. the TAC of the request's IMEI, when the table maps it → matchedBy `tac`
 *   3. the table's default (the operator's)                  → matchedBy `default`
 *
 * What a door fixes explicitly wins over the profile, field by field: `profile` (cp/dm) and
 * `sec`. Then the profile's own fields, then the deployment's (PUSH_SECURITY, SMS_DATA_CODING).
 */
import {
  BUILTIN_DEVICE_PROFILES,
  chooseDeviceProfile,
  type DeviceProfileTable,
} from '../codec/profiles/device-profiles.js';
import type { TndsEncoding } from '../codec/document/model.js';
import type { DataCoding } from '../codec/sms/segment.js';
import { BootlineError } from '../errors.js';
import type { MatchedBy, Profile, SecMethod } from './record.js';

export type { MatchedBy };

export interface DeviceChoice {
  readonly deviceProfile: string;
  readonly matchedBy: MatchedBy;
  readonly profile: Profile;
  /** Undefined: neither the door nor the profile nor the intake's defaults name one (the worker's PUSH_SECURITY). */
  readonly sec?: SecMethod;
  /** DM profile only. */
  readonly tnds?: TndsEncoding;
  /** Undefined: the worker's SMS_DATA_CODING. */
  readonly dataCoding?: DataCoding;
}

export interface ChoiceRequest {
  readonly deviceProfile?: string;
  readonly imei?: string;
  readonly profile?: Profile;
  readonly sec?: SecMethod;
}

export interface ChoiceDefaults {
  readonly sec?: SecMethod;
  readonly dataCoding?: DataCoding;
}

/** Chooses the device profile of a request and resolves what it builds; BAD_REQUEST for an unknown name. */
export function chooseForRequest(
  table: DeviceProfileTable = BUILTIN_DEVICE_PROFILES,
  req: ChoiceRequest,
  d: ChoiceDefaults = {},
): DeviceChoice {
  let name: string;
  let matchedBy: MatchedBy;
  if (req.deviceProfile !== undefined) {
    if (!Object.hasOwn(table.profiles, req.deviceProfile))
      throw new BootlineError('BAD_REQUEST', `no device profile named ${req.deviceProfile}`, {
        known: Object.keys(table.profiles),
      });
    [name, matchedBy] = [req.deviceProfile, 'request'];
  } else {
    // The chooser resolves SEC and data coding against defaults; only the name and the reason are used here.
    const c = chooseDeviceProfile(table, req.imei ? { imei: req.imei } : {}, { sec: 'USERPIN', dataCoding: 0x04 });
    [name, matchedBy] = [c.profileName, c.matchedBy];
  }
  const p = table.profiles[name]!;
  const profile = req.profile ?? p.bootstrap;
  const sec = req.sec ?? p.sec ?? d.sec;
  const dataCoding = p.dataCoding ?? d.dataCoding;
  // A door that asks for DM of a CP device profile gets the default encoding.
  const tnds = profile === 'dm' ? (p.bootstrap === 'dm' ? (p.tnds ?? 'inline') : 'inline') : undefined;
  return {
    deviceProfile: name,
    matchedBy,
    profile,
    ...(sec ? { sec } : {}),
    ...(tnds ? { tnds } : {}),
    ...(dataCoding !== undefined ? { dataCoding } : {}),
  };
}
