/**
 * Device profiles: which Bootstrap Message a handset gets. Handsets differ (docs/reference/
 * device-profiles.md): AOSP's DM engine reads TNDS inline, Samsung's IDM client wants it as XML
 * text or hex, many handsets take only the CP profile, some only USERPIN. A small table picks,
 * per destination, the bootstrap profile (CP or DM), the TNDS encoding, the SEC method and the
 * SMS data coding: by TAC (the IMEI's first 8 digits, 3GPP TS 23.003 §6.2) when an IMEI is known
 * (a point-of-sale or network event), else by the operator's default, else the table's default.
 * Pure data and lookups; the table comes from configuration (config/device-profiles.ts).
 */
import { BootlineError } from '../../errors.js';
import { TNDS_ENCODINGS, type TndsEncoding } from '../document/model.js';
import { SEC_VALUES, type SecMethod } from '../security/mac.js';
import { DATA_CODINGS, type DataCoding } from '../sms/segment.js';

export type BootstrapProfile = 'cp' | 'dm';

export interface DeviceProfile {
  /** The client family it is for, for people reading the table. */
  readonly family: string;
  readonly bootstrap: BootstrapProfile;
  /** DM profile only; defaults to inline. */
  readonly tnds?: TndsEncoding;
  /** Unset: the deployment's SEC method (PUSH_SECURITY). */
  readonly sec?: SecMethod;
  /** Unset: the deployment's data coding (SMS_DATA_CODING). */
  readonly dataCoding?: DataCoding;
}

export interface DeviceProfileTable {
  readonly profiles: Readonly<Record<string, DeviceProfile>>;
  /** TAC (8 digits) → profile name. */
  readonly tacs: Readonly<Record<string, string>>;
  /** Operator id (as the deployment names operators, e.g. MCC+MNC "23415") → profile name. */
  readonly operators: Readonly<Record<string, string>>;
  readonly default: string;
}

/** What is known about the destination: any subset. */
export interface DeviceHint {
  readonly imei?: string;
  readonly tac?: string;
  readonly operator?: string;
}

/** The choice, resolved against the deployment's defaults, and why it was made (for status and metrics). */
export interface BootstrapChoice {
  readonly profileName: string;
  readonly matchedBy: 'tac' | 'operator' | 'default';
  readonly bootstrap: BootstrapProfile;
  readonly tnds: TndsEncoding;
  readonly sec: SecMethod;
  readonly dataCoding: DataCoding;
}

const TAC = /^[0-9]{8}$/;
/** IMEI (15 digits with its check digit), IMEISV (16) or an IMEI without the check digit (14). */
const IMEI = /^[0-9]{14,16}$/;

/** The TAC of an IMEI or IMEISV (3GPP TS 23.003 §6.2.1: TAC is the first 8 digits). */
export function tacOf(imei: string): string {
  if (!IMEI.test(imei)) throw new BootlineError('IMEI_INVALID', 'IMEI must be 14-16 digits', { length: imei.length });
  return imei.slice(0, 8);
}

export function chooseDeviceProfile(
  table: DeviceProfileTable,
  hint: DeviceHint,
  defaults: { readonly sec: SecMethod; readonly dataCoding: DataCoding },
): BootstrapChoice {
  const tac = hint.tac ?? (hint.imei === undefined ? undefined : tacOf(hint.imei));
  if (tac !== undefined && !TAC.test(tac)) throw new BootlineError('IMEI_INVALID', 'a TAC is 8 digits', {});
  const byTac = tac === undefined ? undefined : table.tacs[tac];
  const byOperator = hint.operator === undefined ? undefined : table.operators[hint.operator];
  const [profileName, matchedBy] =
    byTac !== undefined
      ? [byTac, 'tac' as const]
      : byOperator !== undefined
        ? [byOperator, 'operator' as const]
        : [table.default, 'default' as const];
  const p = table.profiles[profileName]!;
  return {
    profileName,
    matchedBy,
    bootstrap: p.bootstrap,
    tnds: p.tnds ?? 'inline',
    sec: p.sec ?? defaults.sec,
    dataCoding: p.dataCoding ?? defaults.dataCoding,
  };
}

/** Checks every name the table uses is a profile and every key has its shape; CONFIG_INVALID lists all problems. */
export function defineDeviceProfiles(t: DeviceProfileTable): DeviceProfileTable {
  const problems: string[] = [];
  const known = (where: string, name: string) => {
    if (!Object.hasOwn(t.profiles, name)) problems.push(`${where}: no profile named "${name}"`);
  };
  for (const [name, p] of Object.entries(t.profiles)) {
    if (p.bootstrap !== 'cp' && p.bootstrap !== 'dm') problems.push(`profiles.${name}.bootstrap: cp or dm`);
    if (p.tnds !== undefined && !TNDS_ENCODINGS.includes(p.tnds))
      problems.push(`profiles.${name}.tnds: one of ${TNDS_ENCODINGS.join(', ')}`);
    if (p.tnds !== undefined && p.bootstrap === 'cp')
      problems.push(`profiles.${name}.tnds: only a DM profile has TNDS`);
    if (p.sec !== undefined && !Object.hasOwn(SEC_VALUES, p.sec))
      problems.push(`profiles.${name}.sec: one of ${Object.keys(SEC_VALUES).join(', ')}`);
    if (p.dataCoding !== undefined && !DATA_CODINGS.includes(p.dataCoding))
      problems.push(`profiles.${name}.dataCoding: 0x04 or 0xF5`);
  }
  for (const [tac, name] of Object.entries(t.tacs)) {
    if (!TAC.test(tac)) problems.push(`tacs.${tac}: a TAC is 8 digits`);
    known(`tacs.${tac}`, name);
  }
  for (const [op, name] of Object.entries(t.operators)) known(`operators.${op}`, name);
  known('default', t.default);
  if (problems.length > 0)
    throw new BootlineError('CONFIG_INVALID', `device profiles:\n  ${problems.join('\n  ')}`, { problems });
  return t;
}

/**
 * The client families bootline knows, before any deployment adds TACs. CP w7 is the default: it is
 * the profile most handsets take (OMA-TS-DM_Bootstrap-V1_2 makes each profile OPTIONAL; CP w7 is read by
 * Symbian, Intel cpclient, Gecko and Windows Mobile clients); DM profiles are opted into per TAC or operator.
 */
export const BUILTIN_DEVICE_PROFILES: DeviceProfileTable = defineDeviceProfiles({
  profiles: {
    'cp-w7': { family: 'OMA CP clients (w7 APPLICATION): the widest support', bootstrap: 'cp' },
    'dm-aosp': { family: 'AOSP/Motorola OMA-DM engine: TNDS inline on code page 2', bootstrap: 'dm', tnds: 'inline' },
    'dm-opaque': { family: 'decoders of a nested WBXML TNDS document (libwbxml)', bootstrap: 'dm', tnds: 'opaque' },
    'dm-samsung-idm': { family: 'Samsung IDM (com.wssyncmldm): TNDS as XML text', bootstrap: 'dm', tnds: 'xml-text' },
    'dm-samsung-idm-wbxml': {
      family: 'Samsung IDM (com.wssyncmldm): TNDS as hex of its WBXML',
      bootstrap: 'dm',
      tnds: 'wbxml-hex',
    },
  },
  tacs: {},
  operators: {},
  default: 'cp-w7',
});
