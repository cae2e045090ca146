// The device-profile table at start: loadConfig reads DEVICE_PROFILES_FILE with the rest of the
// configuration, and a table naming a profile that signs with an IMSI-keyed SEC method (NETWPIN,
// USERNETWPIN) is refused unless a subscriber lookup is configured — by loadConfig, and again by
// createWorker and createWeb for configurations built by hand, before they connect anything.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createWeb } from '../../src/app/web.js';
import { createWorker } from '../../src/app/worker.js';
import { loadConfig } from '../../src/config/config.js';
import { parseDeviceProfiles } from '../../src/config/device-profiles.js';
import { isBootlineError } from '../../src/errors.js';
import { testEnv } from '../helpers/stack.js';

const dir = mkdtempSync(join(tmpdir(), 'bl-devprof-'));
const file = (name: string, table: object) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(table));
  return path;
};
const NETWPIN_TABLE = {
  profiles: { 'cp-netwpin': { family: 'SIM-keyed CP clients', bootstrap: 'cp', sec: 'NETWPIN' } },
  tacs: { '01000005': 'cp-netwpin' },
};
const env = (extra: Record<string, string>) =>
  testEnv('redis://127.0.0.1:1', undefined, {
    DM_REGISTER_URL: 'http://127.0.0.1:1/register',
    DM_REGISTER_SECRET: 'test-dm-register-secret-0123',
    ...extra,
  });
const LOOKUP = {
  SUBSCRIBER_LOOKUP_URL: 'http://127.0.0.1:1/imsi',
  SUBSCRIBER_LOOKUP_SECRET: 'lookup-secret-0123456789',
};

test('loadConfig refuses a NETWPIN device profile without a subscriber lookup, naming the profile', () => {
  const path = file('netwpin.json', NETWPIN_TABLE);
  assert.throws(
    () => loadConfig(env({ DEVICE_PROFILES_FILE: path })),
    (e) =>
      isBootlineError(e, 'CONFIG_INVALID') &&
      /device profile "cp-netwpin" signs with NETWPIN/.test(e.message) &&
      /SUBSCRIBER_LOOKUP_URL/.test(e.message),
  );
  const c = loadConfig(env({ DEVICE_PROFILES_FILE: path, ...LOOKUP }));
  assert.equal(c.deviceProfiles?.tacs['01000005'], 'cp-netwpin', 'with a lookup: loaded, the table in the config');
  assert.equal(loadConfig(env({})).deviceProfiles?.default, 'cp-w7', 'no file: the built-in table');
});

test("a broken table file is one of loadConfig's listed problems", () => {
  const path = file('broken.json', { tacs: { '123': 'nowhere' } });
  assert.throws(
    () => loadConfig(env({ DEVICE_PROFILES_FILE: path, LIMITS_CODES: 'nonsense' })),
    (e) => {
      const problems = (isBootlineError(e, 'CONFIG_INVALID') ? e.details.problems : []) as string[];
      return problems.some((p) => /tacs\.123/.test(p)) && problems.some((p) => /LIMITS_CODES/.test(p));
    },
  );
});

test('createWorker and createWeb refuse such a table before connecting (a config built by hand)', () => {
  const base = loadConfig(env({}));
  const config = { ...base, deviceProfiles: parseDeviceProfiles(JSON.stringify(NETWPIN_TABLE), 'table.json') };
  const refused = (e: unknown) => isBootlineError(e, 'CONFIG_INVALID') && /cp-netwpin/.test((e as Error).message);
  assert.throws(() => createWorker(config), refused);
  assert.throws(() => createWeb(config), refused);
  const usernetwpin = {
    ...base,
    deviceProfiles: parseDeviceProfiles(
      JSON.stringify({ profiles: { 'dm-sim': { family: 'x', bootstrap: 'dm', sec: 'USERNETWPIN' } } }),
      'table.json',
    ),
  };
  assert.throws(
    () => createWorker(usernetwpin),
    (e) => isBootlineError(e, 'CONFIG_INVALID'),
  );
});
