// The simulated handsets' control API over real HTTP, fed segments as the dev SMSC hands them on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildPush, segmentPush } from '../../src/codec/index.js';
import { DmStandIn } from '../../src/dev/dm-server.js';
import { startHandsetControl } from '../../src/dev/handset/control.js';
import { HandsetSimulator } from '../../src/dev/handset/simulator.js';
import type { ReceivedSubmit } from '../../src/dev/smsc/pdu.js';
import { freshCredentials } from '../../src/dm/credentials.js';
import { registerDevice, registrationFor } from '../../src/dm/register-client.js';
import { silentLogger } from '../../src/platform/logger.js';
import { DM_SECRET } from '../helpers/worker-stack.js';

const NUMBER = '+447400800001';
const PIN = '482913';
let dm: DmStandIn;
let sim: HandsetSimulator;
let control: Awaited<ReturnType<typeof startHandsetControl>>;

before(async () => {
  dm = new DmStandIn({ secret: DM_SECRET, logger: silentLogger() });
  await dm.listen(0);
  sim = new HandsetSimulator({
    logger: silentLogger(),
    imsiOf: () => undefined,
    hosts: { 'dm.example.com': dm.hostPort },
  });
  control = await startHandsetControl(sim, 0);
});
after(async () => {
  await control.close();
  await dm.close();
});

const submit = (shortMessage: Uint8Array, extra: Partial<ReceivedSubmit> = {}): ReceivedSubmit => ({
  systemId: 'bootline',
  messageId: '1',
  sourceAddr: 'BOOTLINE',
  destinationAddr: NUMBER.slice(1),
  esmClass: 0x40,
  dataCoding: 4,
  registeredDelivery: 1,
  shortMessage: Buffer.from(shortMessage),
  at: new Date(),
  session: 1,
  ...extra,
});

/** Registers fresh credentials and delivers their push to the handset, segments in reverse order. */
async function deliver(id: string, reference: number): Promise<number> {
  const c = freshCredentials('com.example.dm', id);
  await registerDevice({ url: dm.url, secret: DM_SECRET }, registrationFor(id, NUMBER, 'com.example.dm', c));
  const built = buildPush(
    {
      profile: 'cp',
      model: {
        providerId: 'com.example.dm',
        addr: 'https://dm.example.com/dm',
        appAuth: [
          { level: 'APPSRV', type: 'DIGEST', name: c.clientName, secret: c.clientSecret, data: c.clientNonce },
          { level: 'CLIENT', type: 'DIGEST', name: c.serverName, secret: c.serverSecret, data: c.serverNonce },
        ],
      },
    },
    { method: 'USERPIN', pin: PIN },
  );
  const segments = segmentPush(built.wsp, { reference });
  sim.receive(submit(Buffer.from('Your bootline code is 123456'), { esmClass: 0, dataCoding: 0, text: 'x' }));
  for (const s of [...segments].reverse()) sim.receive(submit(s.shortMessage));
  return segments.length;
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(control.url + path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(!text.includes('7400800001'), `no unmasked number in ${text}`);
  assert.ok(!text.includes(PIN), `no PIN in ${text}`);
  // biome-ignore lint/suspicious/noExplicitAny: the test walks the control API's JSON as it comes
  return { status: res.status, json: JSON.parse(text) as Record<string, any> };
}

test('a push arrives out of order, waits for its PIN, a wrong PIN is refused, the right one connects', async () => {
  assert.equal(await deliver('bs-control-1', 0x21), 3);
  const list = await call('GET', '/handsets');
  assert.deepEqual(list.json.handsets[0].pending, { sec: 'USERPIN', profile: 'cp', attempts: 0 });
  assert.equal(list.json.handsets[0].msisdn, '+44*******001');
  assert.match(list.json.handsets[0].deviceId, /^IMEI:35999999\d{7}$/);

  const wrong = await call('POST', '/pin', { pin: '000000' });
  assert.deepEqual([wrong.status, wrong.json.outcome, wrong.json.attemptsLeft], [200, 'pin-refused', 2]);
  const right = await call('POST', `/handsets/${encodeURIComponent(NUMBER)}/pin`, { pin: PIN });
  assert.equal(right.json.outcome, 'authenticated', JSON.stringify(right.json));
  const view = await call('GET', `/handsets/${NUMBER.slice(1)}`);
  assert.equal(view.json.accounts[0].serverId, 'com.example.dm');
  assert.equal(view.json.last.outcome, 'authenticated');
  const events = await call('GET', '/events?since=0');
  assert.deepEqual(
    events.json.events.map((e: { kind: string }) => e.kind),
    ['push-received', 'pin-refused', 'account-stored', 'authenticated'],
  );
});

test('faults: a tampered push fails its MAC, a wrong client secret fails at the DM server', async () => {
  assert.equal((await call('POST', `/handsets/${NUMBER}/faults`, { tamper: true })).json.faults.tamper, true);
  await deliver('bs-control-2', 0x22);
  assert.equal((await call('POST', '/pin', { pin: PIN, msisdn: NUMBER })).json.outcome, 'pin-refused');
  await call('POST', `/handsets/${NUMBER}/faults`, { wrongSecret: true });
  await deliver('bs-control-3', 0x23);
  const out = await call('POST', '/pin', { pin: PIN, msisdn: NUMBER });
  assert.deepEqual([out.json.outcome, out.json.status], ['auth-failed', 401]);
});

test('bad requests get a reason; a PIN with no push to take it answers no-push when the wait ends', async () => {
  await call('POST', `/handsets/${NUMBER}/faults`, {});
  assert.equal((await call('POST', '/pin', {})).status, 400);
  assert.equal((await call('POST', '/pin', 'not json')).status, 400);
  const unknown = await call('GET', '/nothing');
  assert.equal(unknown.status, 404);
  assert.match(unknown.json.error, /POST \/pin/);
  const t = Date.now();
  const none = await call('POST', '/pin', { pin: '1', msisdn: '+447400800999', waitMs: 200 });
  assert.equal(none.json.outcome, 'no-push');
  assert.ok(Date.now() - t >= 150);
});
