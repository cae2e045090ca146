import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { decodeWbxml } from '../../src/codec/wbxml/decoder.js';
import type { XmlElement, XmlNode } from '../../src/codec/wbxml/tree.js';
import { CONTENT_TYPE_CP, CONTENT_TYPE_DM } from '../../src/codec/wsp/tables.js';
import { requestBootstrap, type IntakeDeps } from '../../src/deliveries/intake.js';
import { isBootlineError } from '../../src/errors.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/dm/signature.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { parseWspPush, splitUdh, type WspPush } from '../helpers/push-bytes.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor, webStack, type WebStack } from '../helpers/stack.js';
import { DM_SECRET, workerStack, type WorkerStack } from '../helpers/worker-stack.js';
import { clientNameOf } from '../helpers/handset-stack.js';

// Device profiles end to end: a POS request carrying an IMEI gets the device profile its TAC
// maps to (DEVICE_PROFILES_FILE, read by loadConfig), the worker builds what that profile says
// (bootstrap profile, TNDS encoding, data coding), the status API and the timeline say which
// profile and why, and /metrics counts the outcome under that profile.
const POS = 'pos-token-profiles-0123456789';
const OPERATOR = 'operator-token-profiles-0123456789';
const tokens = [
  { role: 'pos' as const, sha256: hashToken(POS) },
  { role: 'operator' as const, sha256: hashToken(OPERATOR) },
];
const SAMSUNG_TAC = '35332510';
const F5_TAC = '01000004';
const TABLE = {
  profiles: {
    'cp-f5': { family: 'CP clients on an SMSC that wants 0xF5 (test)', bootstrap: 'cp', dataCoding: '0xF5' },
  },
  tacs: { [SAMSUNG_TAC]: 'dm-samsung-idm', [F5_TAC]: 'cp-f5' },
};

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let web: WebStack;
let worker: WorkerStack;

before(async () => {
  redis = await startTestRedis();
  const file = join(mkdtempSync(join(tmpdir(), 'bl-profiles-')), 'device-profiles.json');
  writeFileSync(file, JSON.stringify(TABLE));
  worker = await workerStack(redis.url, { prefix: '{t-devprof}' });
  web = webStack(redis.url, {
    prefix: '{t-devprof}',
    doors: { tokens },
    env: { DEVICE_PROFILES_FILE: file, DM_REGISTER_URL: worker.dm.url, DM_REGISTER_SECRET: DM_SECRET },
  });
  await web.ready();
});
after(async () => {
  await worker.close();
  await web.close();
  await redis.stop();
});

async function posPush(msisdn: string, imei?: string): Promise<{ id: string; pin: string }> {
  const res = await request(web.app)
    .post('/api/bootstraps')
    .set('Authorization', `Bearer ${POS}`)
    .send({ msisdn, ...(imei ? { imei } : {}) });
  assert.equal(res.status, 202, res.text);
  await waitFor('delivered', async () => (await web.store.status(res.body.id)) === 'delivered', 20_000);
  return { id: res.body.id, pin: res.body.pin };
}

/** The segments the dev SMSC took for a number, reassembled into the WSP push, its MAC checked with the PIN. */
function pushTo(msisdn: string, pin: string): { push: WspPush; dataCodings: Set<number> } {
  const segs = worker.smsc.received.filter((r) => r.destinationAddr === msisdn.slice(1) && r.text === undefined);
  assert.ok(segs.length >= 1, `segments to ${msisdn}`);
  const parts = segs.map((s) => splitUdh(s.shortMessage)).sort((a, b) => (a.concat?.seq ?? 1) - (b.concat?.seq ?? 1));
  const push = parseWspPush(Buffer.concat(parts.map((p) => p.payload)));
  assert.equal(push.sec, 1, 'SEC=USERPIN');
  assert.equal(push.mac, createHmac('sha1', pin).update(push.body).digest('hex').toUpperCase(), 'MAC with the PIN');
  return { push, dataCodings: new Set(segs.map((s) => s.dataCoding)) };
}

const isEl = (n: XmlNode): n is XmlElement => typeof n === 'object' && 'name' in n;
function find(e: XmlElement, name: string): XmlElement | undefined {
  if (e.name === name) return e;
  for (const c of e.children.filter(isEl)) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}
const text = (e: XmlElement | undefined) => (e?.children ?? []).filter((c) => typeof c === 'string').join('');

const view = async (id: string) =>
  (await request(web.app).get(`/api/bootstraps/${id}`).set('Authorization', `Bearer ${OPERATOR}`)).body;

test('a TAC of a Samsung IDM entry: the worker builds the DM profile with the TNDS as XML text', async () => {
  const { id, pin } = await posPush('+447400900001', `${SAMSUNG_TAC}1234567`);
  const { push, dataCodings } = pushTo('+447400900001', pin);
  assert.equal(push.contentType, CONTENT_TYPE_DM, 'application/vnd.syncml.dm+wbxml');
  assert.deepEqual([...dataCodings], [0x04]);
  const root = decodeWbxml(push.body).doc.root;
  assert.equal(text(find(find(root, 'Meta')!, 'Type')), 'application/vnd.syncml.dmtnds+xml');
  const data = find(root, 'Data')!;
  assert.ok(
    data.children.every((c) => typeof c === 'string'),
    'Data holds text, not an inline tree or OPAQUE',
  );
  assert.match(text(data), /^<MgmtTree[\s>][\s\S]*<\/MgmtTree>$/, 'the TNDS tree as XML text');
  assert.ok(text(data).includes(`IMEI:${SAMSUNG_TAC}1234567`) || push.body.includes(`IMEI:${SAMSUNG_TAC}1234567`));

  const v = await view(id);
  assert.equal(v.deviceProfile, 'dm-samsung-idm');
  assert.equal(v.matchedBy, 'tac');
  assert.equal(v.profile, 'dm');
  assert.equal(v.tnds, 'xml-text');
  assert.equal(v.dataCoding, '0x04');
  const built = v.timeline.find((e: { event: string }) => e.event === 'submitted');
  assert.equal(built?.deviceProfile, 'dm-samsung-idm', 'the timeline says what the message was built for');
});

test('a TAC the table does not know, or no IMEI: the default, CP w7', async () => {
  for (const [msisdn, imei] of [
    ['+447400900002', '35693803564380'],
    ['+447400900003', undefined],
  ] as const) {
    const { id, pin } = await posPush(msisdn, imei);
    const { push } = pushTo(msisdn, pin);
    assert.equal(push.contentType, CONTENT_TYPE_CP, 'application/vnd.wap.connectivity-wbxml');
    assert.match(decodeWbxml(push.body).xml, /name="APPID" value="w7"/);
    const v = await view(id);
    assert.deepEqual([v.deviceProfile, v.matchedBy, v.profile, v.tnds], ['cp-w7', 'default', 'cp', null]);
  }
});

test("a profile's data coding reaches every segment (0xF5)", async () => {
  const { id, pin } = await posPush('+447400900004', `${F5_TAC}7654321`);
  const { push, dataCodings } = pushTo('+447400900004', pin);
  assert.equal(push.contentType, CONTENT_TYPE_CP);
  assert.deepEqual([...dataCodings], [0xf5], 'data coding 0xF5 (8-bit, class 1), as the profile says');
  assert.deepEqual([(await view(id)).deviceProfile, (await view(id)).dataCoding], ['cp-f5', '0xF5']);
});

/** The DM server's session signal for a bootstrap (POST /api/dm/sessions, signed). */
async function signal(id: string, event: 'session-started' | 'auth-failed'): Promise<void> {
  const clientName = clientNameOf(worker.dm.registrations.get(id));
  const raw = JSON.stringify({ serverId: 'com.example.dm', clientName, event, at: new Date().toISOString() });
  const ts = Math.floor(Date.now() / 1000);
  const res = await request(web.app)
    .post('/api/dm/sessions')
    .set('content-type', 'application/json')
    .set(TIMESTAMP_HEADER, String(ts))
    .set(SIGNATURE_HEADER, signBody(DM_SECRET, ts, raw))
    .send(raw);
  assert.equal(res.status, 200, res.text);
}

test('/metrics counts outcomes per device profile, cluster-wide (read from Redis)', async () => {
  const read = async () =>
    (await request(web.app).get('/metrics').set('Authorization', `Bearer ${OPERATOR}`).expect(200)).text;
  const value = (m: string, profile: string, outcome: string) =>
    Number(
      new RegExp(`bootline_bootstrap_outcomes_total\\{profile="${profile}",outcome="${outcome}"\\} (\\d+)`).exec(
        m,
      )?.[1] ?? 0,
    );
  await waitFor('counted', async () => value(await read(), 'cp-w7', 'delivered') >= 2);
  const m = await read();
  assert.equal(value(m, 'dm-samsung-idm', 'delivered'), 1, m.slice(0, 2000));
  assert.equal(value(m, 'cp-w7', 'delivered'), 2);
  assert.equal(value(m, 'cp-f5', 'delivered'), 1);
  // The DM server's word on two of them (web process): enrolled, and failed.
  const [samsung] = await web.store.idsForMsisdn('+447400900001');
  const [f5] = await web.store.idsForMsisdn('+447400900004');
  await signal(samsung!, 'session-started');
  await signal(f5!, 'auth-failed');
  const after = await read();
  assert.equal(value(after, 'dm-samsung-idm', 'enrolled'), 1, 'enrolled, under its profile');
  assert.equal(value(after, 'cp-f5', 'failed'), 1, 'failed, under its profile');
  assert.equal(value(after, 'cp-w7', 'enrolled'), 0);
  // The same transition followed up again (a receipt sent twice, a re-run) is not counted again.
  await web.web.lifecycle.followUp(samsung!, { status: 'enrolled', round: 1 });
  await worker.app.lifecycle.followUp(samsung!);
  const again = await read();
  assert.equal(value(again, 'dm-samsung-idm', 'delivered'), 1, 'once per transition');
  assert.equal(value(again, 'dm-samsung-idm', 'enrolled'), 1, 'once per transition');
});

test('the intake: a named profile wins over the TAC; what the door fixes wins over the profile', async () => {
  const deps: IntakeDeps = {
    store: web.store,
    queue: web.queue,
    defaults: { sec: 'USERPIN', profile: 'cp', pinLength: 6, dataCoding: 0x04 },
    deviceProfiles: web.config.deviceProfiles!,
  };
  const origin = { door: 'pos', by: 'clerk-1' } as const;
  await requestBootstrap(deps, {
    id: 'dp-named',
    msisdn: '+447400900010',
    origin,
    imei: `${SAMSUNG_TAC}0000001`,
    deviceProfile: 'dm-opaque',
  });
  const named = await web.store.get('dp-named');
  assert.deepEqual([named?.deviceProfile, named?.matchedBy, named?.tnds], ['dm-opaque', 'request', 'opaque']);
  await requestBootstrap(deps, {
    id: 'dp-door-cp',
    msisdn: '+447400900011',
    origin,
    imei: `${SAMSUNG_TAC}0000002`,
    profile: 'cp',
    sec: 'USERPINMAC',
  });
  const fixed = await web.store.get('dp-door-cp');
  assert.deepEqual(
    [fixed?.deviceProfile, fixed?.matchedBy, fixed?.profile, fixed?.sec, fixed?.tnds],
    ['dm-samsung-idm', 'tac', 'cp', 'USERPINMAC', undefined],
  );
  await assert.rejects(
    requestBootstrap(deps, { id: 'dp-unknown', msisdn: '+447400900012', origin, deviceProfile: 'no-such' }),
    (e) => isBootlineError(e, 'BAD_REQUEST') && /no device profile named no-such/.test(e.message),
  );
  await assert.rejects(
    requestBootstrap(deps, { id: 'dp-dm-no-imei', msisdn: '+447400900013', origin, deviceProfile: 'dm-aosp' }),
    (e) => isBootlineError(e, 'BAD_REQUEST') && /device profile dm-aosp\) needs the IMEI/.test(e.message),
  );
});
