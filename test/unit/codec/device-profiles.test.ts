// Device profiles: the table (built-in client families + a deployment's file) and the chooser (TAC, then operator,
// then default), resolved against the deployment's SEC method and data coding; and the choice driving buildPush.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILTIN_DEVICE_PROFILES,
  buildPush,
  chooseDeviceProfile,
  decodeWbxml,
  defineDeviceProfiles,
  segmentPush,
  tacOf,
} from '../../../src/codec/index.js';
import { loadConfig } from '../../../src/config/config.js';
import { parseDeviceProfiles, readDeviceProfiles } from '../../../src/config/device-profiles.js';
import { isBootlineError } from '../../../src/errors.js';
import { EXAMPLE_A, EXAMPLE_C } from './fixtures.js';

const DEFAULTS = { sec: 'USERPIN', dataCoding: 0x04 } as const;

const TABLE = parseDeviceProfiles(
  JSON.stringify({
    profiles: {
      'dm-acme': { family: 'Acme DM client', bootstrap: 'dm', tnds: 'opaque', sec: 'NETWPIN', dataCoding: '0xF5' },
    },
    tacs: { '35332510': 'dm-samsung-idm', '49015420': 'dm-acme' },
    operators: { '23415': 'dm-aosp' },
  }),
  'profiles.json',
);

test('the chooser: TAC from the IMEI first, then the operator, then the default; defaults fill SEC and DCS', () => {
  assert.equal(tacOf('490154203237518'), '49015420');
  assert.equal(tacOf('4901542032375101'), '49015420', 'IMEISV');
  const byTac = chooseDeviceProfile(TABLE, { imei: '353325101234567', operator: '23415' }, DEFAULTS);
  assert.deepEqual(byTac, {
    profileName: 'dm-samsung-idm',
    matchedBy: 'tac',
    bootstrap: 'dm',
    tnds: 'xml-text',
    sec: 'USERPIN',
    dataCoding: 0x04,
  });
  assert.deepEqual(chooseDeviceProfile(TABLE, { tac: '49015420' }, DEFAULTS), {
    profileName: 'dm-acme',
    matchedBy: 'tac',
    bootstrap: 'dm',
    tnds: 'opaque',
    sec: 'NETWPIN',
    dataCoding: 0xf5,
  });
  const byOperator = chooseDeviceProfile(TABLE, { imei: '111111111111111', operator: '23415' }, DEFAULTS);
  assert.deepEqual([byOperator.profileName, byOperator.matchedBy, byOperator.tnds], ['dm-aosp', 'operator', 'inline']);
  const fallback = chooseDeviceProfile(TABLE, { operator: '99999' }, { sec: 'NETWPIN', dataCoding: 0xf5 });
  assert.deepEqual(fallback, {
    profileName: 'cp-w7',
    matchedBy: 'default',
    bootstrap: 'cp',
    tnds: 'inline',
    sec: 'NETWPIN',
    dataCoding: 0xf5,
  });
  assert.equal(chooseDeviceProfile(BUILTIN_DEVICE_PROFILES, {}, DEFAULTS).profileName, 'cp-w7');
  for (const bad of [{ imei: '4901542' }, { imei: '49015420323751x' }, { tac: '4901542' }])
    assert.throws(
      () => chooseDeviceProfile(TABLE, bad, DEFAULTS),
      (e) => isBootlineError(e, 'IMEI_INVALID'),
    );
});

test('a choice drives the push: profile, TNDS encoding, SEC method and data coding', () => {
  const choice = chooseDeviceProfile(TABLE, { tac: '49015420' }, DEFAULTS);
  assert.equal(choice.bootstrap, 'dm');
  const built = buildPush(
    { profile: 'dm', model: { ...EXAMPLE_C, tnds: choice.tnds } },
    { method: 'NETWPIN', imsi: '466923103145252' },
  );
  assert.equal(built.sec, choice.sec);
  assert.match(decodeWbxml(built.body).xml, /dmtnds\+wbxml/);
  assert.ok(
    segmentPush(built.wsp, { reference: 1, dataCoding: choice.dataCoding }).every((s) => s.dataCoding === 0xf5),
  );
  const cp = chooseDeviceProfile(TABLE, {}, DEFAULTS);
  assert.equal(
    buildPush({ profile: cp.bootstrap, model: EXAMPLE_A } as never, { method: 'USERPIN', pin: '1' }).wsp[5],
    0xb6,
  );
});

test('a table that names an unknown profile, a bad TAC or a CP profile with TNDS is CONFIG_INVALID, listing every problem', () => {
  assert.throws(
    () =>
      defineDeviceProfiles({
        profiles: { x: { family: 'x', bootstrap: 'cp', tnds: 'inline' } },
        tacs: { '1234': 'x', '12345678': 'nope' },
        operators: { a: 'gone' },
        default: 'missing',
      }),
    (e) =>
      isBootlineError(e, 'CONFIG_INVALID') &&
      (e.details.problems as string[]).length === 5 &&
      /tacs\.1234: a TAC is 8 digits/.test(e.message),
  );
  const bad = [
    ['{', 'not valid JSON'],
    ['{"profiles":{"p":{"family":"f","bootstrap":"ota"}}}', 'profiles.p.bootstrap'],
    ['{"profiles":{"p":{"family":"f","bootstrap":"dm","dataCoding":"0xF4"}}}', 'profiles.p.dataCoding'],
    ['{"tacs":{"35332510":"nobody"}}', 'no profile named "nobody"'],
    ['{"colour":"red"}', 'colour'],
  ];
  for (const [text, why] of bad)
    assert.throws(
      () => parseDeviceProfiles(text!, 'p.json'),
      (e) =>
        isBootlineError(e, 'CONFIG_INVALID') && e.message.includes(why!) && e.message.includes('DEVICE_PROFILES_FILE'),
      why,
    );
});

test('DEVICE_PROFILES_FILE: read as JSON or YAML over the built-in families; unset means the built-in table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-profiles-'));
  const yaml = join(dir, 'profiles.yaml');
  writeFileSync(yaml, 'tacs:\n  "35332510": dm-samsung-idm-wbxml\n  "01234567": dm-aosp\ndefault: cp-w7\n');
  const t = readDeviceProfiles(yaml);
  assert.equal(chooseDeviceProfile(t, { imei: '353325109999999' }, DEFAULTS).tnds, 'wbxml-hex');
  assert.equal(chooseDeviceProfile(t, { imei: '012345670000000' }, DEFAULTS).profileName, 'dm-aosp');
  assert.equal(chooseDeviceProfile(t, {}, DEFAULTS).profileName, 'cp-w7');
  // A DM default would refuse every request that knows no IMEI (the hotline, the web page).
  const dmDefault = join(dir, 'dm-default.yaml');
  writeFileSync(dmDefault, 'default: dm-aosp\n');
  assert.throws(
    () => readDeviceProfiles(dmDefault),
    (e) => isBootlineError(e, 'CONFIG_INVALID') && /default: "dm-aosp" is a DM profile/.test(e.message),
  );
  assert.equal(readDeviceProfiles(null), BUILTIN_DEVICE_PROFILES);
  assert.throws(
    () => readDeviceProfiles(join(dir, 'absent.json')),
    (e) => isBootlineError(e, 'CONFIG_INVALID'),
  );
  const env = {
    TWILIO_AUTH_TOKEN: 'test-auth-token-0123456789',
    SMPP_URL: 'smpp://a:b@127.0.0.1:2775',
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: '0'.repeat(64),
  };
  assert.equal(loadConfig(env).deviceProfilesFile, null);
  assert.equal(loadConfig({ ...env, DEVICE_PROFILES_FILE: yaml }).deviceProfilesFile, yaml);
});
