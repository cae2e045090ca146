/**
 * The device-profile table a deployment gives in DEVICE_PROFILES_FILE (JSON or YAML), merged
 * over the built-in client families (codec/profiles/device-profiles.ts): the file may add or
 * replace profiles, map TACs and operators to them, and change the default. Read once at
 * start by the process that builds pushes; any problem is CONFIG_INVALID listing all of them.
 *
 *   profiles:  { dm-acme: { family: "…", bootstrap: dm, tnds: xml-text, sec: USERPIN, dataCoding: "0xF5" } }
 *   tacs:      { "35332510": dm-samsung-idm }        # TAC = the IMEI's first 8 digits
 *   operators: { "23415": dm-aosp }                  # the operator ids the deployment uses
 *   default:   cp-w7
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  BUILTIN_DEVICE_PROFILES,
  defineDeviceProfiles,
  type DeviceProfileTable,
} from '../codec/profiles/device-profiles.js';
import { BootlineError } from '../errors.js';

const PROFILE = z
  .object({
    family: z.string().min(1).max(200),
    bootstrap: z.enum(['cp', 'dm']),
    tnds: z.enum(['inline', 'opaque', 'xml-text', 'wbxml-hex']).optional(),
    sec: z.enum(['NETWPIN', 'USERPIN', 'USERNETWPIN', 'USERPINMAC']).optional(),
    dataCoding: z
      .union([z.literal('0x04'), z.literal('0xF5'), z.literal(4), z.literal(0xf5)])
      .transform((v) => (v === '0xF5' || v === 0xf5 ? 0xf5 : 0x04))
      .optional(),
  })
  .strict();

const FILE = z
  .object({
    profiles: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), PROFILE).default({}),
    tacs: z.record(z.string(), z.string()).default({}),
    operators: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,32}$/), z.string()).default({}),
    default: z.string().optional(),
  })
  .strict();

function invalid(file: string, problems: string[]): BootlineError {
  const all = problems.map((p) => `DEVICE_PROFILES_FILE ${file}: ${p}`);
  return new BootlineError('CONFIG_INVALID', 'invalid configuration:\n  ' + all.join('\n  '), { problems: all });
}

/** The table from a file's text (what readDeviceProfiles reads), merged over the built-in profiles. */
export function parseDeviceProfiles(text: string, file: string): DeviceProfileTable {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw invalid(file, [`not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`]);
  }
  const parsed = FILE.safeParse(raw);
  if (!parsed.success)
    throw invalid(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  const f = parsed.data;
  const fallback = f.default ?? BUILTIN_DEVICE_PROFILES.default;
  // A DM bootstrap binds the account to the device's IMEI, which the hotline and the web page never
  // learn: with a DM default, every request from them would be refused at the intake.
  if ({ ...BUILTIN_DEVICE_PROFILES.profiles, ...f.profiles }[fallback]?.bootstrap === 'dm')
    throw invalid(file, [
      `default: "${fallback}" is a DM profile, but requests without an IMEI (hotline, web) need a CP default`,
    ]);
  try {
    return defineDeviceProfiles({
      profiles: { ...BUILTIN_DEVICE_PROFILES.profiles, ...f.profiles },
      tacs: f.tacs,
      operators: f.operators,
      default: fallback,
    });
  } catch (err) {
    if (err instanceof BootlineError) throw invalid(file, err.details.problems as string[]);
    throw err;
  }
}

/** The deployment's table: the built-in one when DEVICE_PROFILES_FILE is unset. */
export function readDeviceProfiles(file?: string | null): DeviceProfileTable {
  if (file === undefined || file === null) return BUILTIN_DEVICE_PROFILES;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return parseDeviceProfiles(text, file);
}

/** The methods whose MAC key includes the IMSI (OMA-WAP-TS-ProvBoot §5.3): they need the subscriber lookup. */
const IMSI_KEYED = new Set(['NETWPIN', 'USERNETWPIN']);

/**
 * A profile the table names can be chosen (by TAC, operator, default, or a request naming it),
 * so every profile that signs with an IMSI-keyed method needs the subscriber lookup: without
 * one, each push it is chosen for would fail at the worker. One problem per such profile.
 */
export function imsiProfileProblems(table: DeviceProfileTable, hasSubscriberLookup: boolean): string[] {
  if (hasSubscriberLookup) return [];
  return Object.entries(table.profiles)
    .filter(([, p]) => p.sec !== undefined && IMSI_KEYED.has(p.sec))
    .map(
      ([name, p]) =>
        `device profile "${name}" signs with ${p.sec}, which keys the MAC with the IMSI: set SUBSCRIBER_LOOKUP_URL ` +
        'and SUBSCRIBER_LOOKUP_SECRET, or give the profile another sec',
    );
}

/**
 * The table a process uses: the one loadConfig read (config.deviceProfiles), else the file's,
 * else the built-in one; refused (CONFIG_INVALID) when it names an IMSI-keyed profile and the
 * process has no subscriber lookup. createWeb and createWorker call this before connecting.
 */
export function deviceProfilesOf(
  c: { readonly deviceProfiles?: DeviceProfileTable; readonly deviceProfilesFile?: string | null },
  hasSubscriberLookup: boolean,
): DeviceProfileTable {
  const table = c.deviceProfiles ?? readDeviceProfiles(c.deviceProfilesFile);
  const problems = imsiProfileProblems(table, hasSubscriberLookup);
  if (problems.length > 0)
    throw new BootlineError('CONFIG_INVALID', 'invalid configuration:\n  ' + problems.join('\n  '), { problems });
  return table;
}
