/**
 * `bootline push profile` — which Bootstrap Message a handset would get under a device-profile
 * table (DEVICE_PROFILES_FILE or --device-profiles; the built-in families otherwise):
 *
 *   bootline push profile [--imei IMEI | --tac TAC] [--operator ID] [--device-profiles FILE]
 *        [--sec METHOD] [--data-coding 0x04|0xF5]     (the deployment defaults a profile may leave open)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseDeviceProfile, type DataCoding, SEC_VALUES, type SecMethod } from '../codec/index.js';
import { readDeviceProfiles } from '../config/device-profiles.js';
import type { CliIO } from './io.js';
import { usageError } from './wbxml.js';

export const PROFILE_USAGE = `\
usage: bootline push profile [--imei IMEI | --tac TAC] [--operator ID] [--device-profiles FILE]
                             [--sec METHOD] [--data-coding 0x04|0xF5]
`;

export async function profile(args: string[], io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      imei: { type: 'string' },
      tac: { type: 'string' },
      operator: { type: 'string' },
      'device-profiles': { type: 'string' },
      sec: { type: 'string' },
      'data-coding': { type: 'string' },
    },
  });
  if (v.imei !== undefined && v.tac !== undefined) return usageError(io, PROFILE_USAGE, 'give --imei or --tac');
  const file = v['device-profiles'] ?? io.env.DEVICE_PROFILES_FILE;
  const sec = v.sec?.toUpperCase() ?? 'USERPIN';
  if (!Object.hasOwn(SEC_VALUES, sec)) return usageError(io, PROFILE_USAGE, `--sec ${v.sec} is not a SEC method`);
  const table = readDeviceProfiles(file === undefined ? null : resolve(io.cwd, file));
  const c = chooseDeviceProfile(
    table,
    {
      ...(v.imei === undefined ? {} : { imei: v.imei }),
      ...(v.tac === undefined ? {} : { tac: v.tac }),
      ...(v.operator === undefined ? {} : { operator: v.operator }),
    },
    {
      sec: sec as SecMethod,
      dataCoding: (v['data-coding']?.toUpperCase() === '0XF5' ? 0xf5 : 0x04) as DataCoding,
    },
  );
  const by = c.matchedBy === 'default' ? 'the default' : c.matchedBy === 'tac' ? 'its TAC' : 'its operator';
  const tnds = c.bootstrap === 'dm' ? `, TNDS ${c.tnds}` : '';
  const dcs = `0x${c.dataCoding.toString(16).toUpperCase().padStart(2, '0')}`;
  io.stdout.write(
    `profile ${c.profileName} (chosen by ${by}): ${c.bootstrap.toUpperCase()} bootstrap${tnds}, ` +
      `SEC ${c.sec}, data coding ${dcs}\n`,
  );
  return 0;
}
