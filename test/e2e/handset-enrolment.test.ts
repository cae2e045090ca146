// bootline worker → dev SMSC → simulated handset → DM stand-in → enrolment signal, for both
// profiles and all four SEC methods, and the ways it fails: wrong PIN, tampered message, wrong
// or unknown credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { DEFAULT_SECURITY } from '../../src/config/security.js';
import type { HandsetSimulator } from '../../src/dev/handset/simulator.js';
import { SubscriberStandIn } from '../../src/dev/subscriber-lookup.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { QUEUES, type BootstrapJobData } from '../../src/queues/catalogue.js';
import { httpSubscriberLookup } from '../../src/subscriber/lookup.js';
import {
  clientNameOf,
  handsetsFor,
  injectPush,
  signalReceiver,
  type SignalReceiver,
} from '../helpers/handset-stack.js';
import { startTestRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/stack.js';
import { enqueuePushes, workerStack, type WorkerStack } from '../helpers/worker-stack.js';

const PIN = '123456'; // enqueuePushes queues every push with this PIN, as the web would after the call
const LOOKUP_SECRET = 'test-subscriber-lookup-secret-h';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let receiver: SignalReceiver;
let lookup: SubscriberStandIn;
const imsiOf = (m: string) => lookup.imsis.get(m) ?? lookup.testImsi(m);

before(async () => {
  redis = await startTestRedis();
  receiver = await signalReceiver();
  lookup = new SubscriberStandIn({ secret: LOOKUP_SECRET });
  await lookup.listen(0);
});
after(async () => {
  await lookup.close();
  await receiver.close();
  await redis.stop();
});

interface Rig {
  readonly worker: WorkerStack;
  readonly handsets: HandsetSimulator;
  push(msisdn: string, tag: string): Promise<string>;
  close(): Promise<void>;
}

async function rig(prefix: string, pushSecurity: 'USERPIN' | 'NETWPIN' | 'USERNETWPIN'): Promise<Rig> {
  const worker = await workerStack(redis.url, {
    prefix,
    config: { security: { ...DEFAULT_SECURITY, pushSecurity } },
    ...(pushSecurity === 'USERPIN'
      ? {}
      : { subscribers: httpSubscriberLookup({ url: lookup.url, secret: LOOKUP_SECRET }) }),
  });
  worker.dm.bootlineUrl = receiver.url;
  const { handsets, detach } = handsetsFor(worker, imsiOf);
  const conn = createRedis(redis.url, 'fast');
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix, connection: conn });
  return {
    worker,
    handsets,
    // The call id (hence the bootstrap id) is made from the tag: unique across the file's stacks.
    push: async (msisdn, tag) =>
      (await enqueuePushes(queue, worker.store, [msisdn], `${prefix.replace(/\W/g, '')}${tag}`))[0]!,
    close: async () => {
      detach();
      await queue.close();
      conn.disconnect();
      await worker.close();
    },
  };
}

/** The signal bootline got for this client, once the stand-in has sent everything. */
async function signalFor(worker: WorkerStack, clientName: string | undefined) {
  await worker.dm.signalsIdle();
  const posts = receiver.posts.filter((p) => p.body.clientName === clientName);
  assert.equal(posts.length, 1, `one signal for ${clientName}: ${JSON.stringify(receiver.posts)}`);
  assert.ok(posts[0]!.verified, 'signed with DM_REGISTER_SECRET over <timestamp>.<body>');
  return posts[0]!.body;
}

function assertSessionStarted(body: Record<string, unknown>, clientName: string | undefined): void {
  assert.deepEqual(Object.keys(body).sort(), ['at', 'clientName', 'event', 'serverId']);
  assert.equal(body.event, 'session-started');
  assert.equal(body.serverId, 'com.example.dm');
  assert.equal(body.clientName, clientName);
  assert.ok(Math.abs(Date.parse(String(body.at)) - Date.now()) < 60_000, 'at is an ISO time of the session');
}

describe('USERPIN pushes built by the worker (CP profile)', () => {
  let r: Rig;
  before(async () => {
    r = await rig('{t-hs-userpin}', 'USERPIN');
  });
  after(async () => r.close());

  test('the PIN the caller heard opens a DM session the stand-in authenticates: session-started', async () => {
    const id = await r.push('+447400600001', 'a');
    const out = await r.handsets.enterPin(PIN, { msisdn: '+447400600001' });
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.status, 212);
    assert.equal(out.sec, 'USERPIN');
    assert.equal(out.profile, 'cp');
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    const session = r.worker.dm.sessions.find((s) => s.clientName === name)!;
    assert.equal(session.status, 212);
    assert.equal(session.target, 'https://dm.example.com/dm', 'the client addressed the ADDR of the bootstrap');
    assertSessionStarted(await signalFor(r.worker, name), name);
    const view = r.handsets.phone('+447400600001');
    assert.equal(view.accounts.get('com.example.dm')?.account.client.name, name);
  });

  test('a wrong PIN is refused at the handset (no session, no signal); the right one then works', async () => {
    const id = await r.push('+447400600002', 'b');
    const wrong = await r.handsets.enterPin('654321', { msisdn: '+447400600002' });
    assert.equal(wrong.outcome, 'pin-refused');
    assert.equal(wrong.attemptsLeft, 2);
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    assert.ok(!r.worker.dm.sessions.some((s) => s.clientName === name), 'nothing reached the DM server');
    const right = await r.handsets.enterPin(PIN, { msisdn: '+447400600002' });
    assert.equal(right.outcome, 'authenticated');
    assertSessionStarted(await signalFor(r.worker, name), name);
  });

  test('three wrong PINs and the handset throws the push away', async () => {
    await r.push('+447400600003', 'c');
    for (const left of [2, 1, 0]) {
      const out = await r.handsets.enterPin('000000', { msisdn: '+447400600003' });
      assert.equal(out.attemptsLeft, left);
    }
    const late = await r.handsets.enterPin(PIN, { msisdn: '+447400600003', waitMs: 300 });
    assert.equal(late.outcome, 'no-push', 'the push is gone; the enrolment window will expire');
  });

  test('a message altered on the way fails its MAC with the right PIN: no session, no signal', async () => {
    r.handsets.phone('+447400600004').faults = { tamper: true };
    const id = await r.push('+447400600004', 'd');
    const out = await r.handsets.enterPin(PIN, { msisdn: '+447400600004' });
    assert.equal(out.outcome, 'pin-refused');
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    await r.worker.dm.signalsIdle();
    assert.ok(!r.worker.dm.sessions.some((s) => s.clientName === name));
    assert.ok(!receiver.posts.some((p) => p.body.clientName === name));
  });

  test('wrong credentials: 401 with a new nonce, one retry, then auth-failed (bad-digest) at the DM server', async () => {
    r.handsets.phone('+447400600005').faults = { wrongSecret: true };
    const id = await r.push('+447400600005', 'e');
    const out = await r.handsets.enterPin(PIN, { msisdn: '+447400600005' });
    assert.equal(out.outcome, 'auth-failed');
    assert.equal(out.status, 401);
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    const tries = r.worker.dm.sessions.filter((s) => s.clientName === name);
    assert.deepEqual(
      tries.map((s) => [s.status, s.cause]),
      [
        [401, 'bad-digest'],
        [401, 'bad-digest'],
      ],
      'the challenge and the retry with its nonce',
    );
    assert.equal(tries[0]!.sessionId, tries[1]!.sessionId, 'the retry stays in the session');
    const signal = await signalFor(r.worker, name);
    assert.deepEqual(signal, { ...signal, event: 'auth-failed', cause: 'bad-digest', serverId: 'com.example.dm' });
  });

  test('a client the DM server has no registration for: auth-failed, cause unknown-client', async () => {
    const id = await r.push('+447400600006', 'f');
    await waitFor('registered', () => r.worker.dm.registrations.get(id));
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    await waitFor('push at the handset', () => r.handsets.phone('+447400600006').pending);
    r.worker.dm.registrations.delete(id);
    const out = await r.handsets.enterPin(PIN, { msisdn: '+447400600006' });
    assert.equal(out.outcome, 'auth-failed');
    const signal = await signalFor(r.worker, name);
    assert.equal(signal.event, 'auth-failed');
    assert.equal(signal.cause, 'unknown-client');
  });

  test('USERPINMAC (CP): the code K‖m the caller hears verifies; the header MAC is not what counts', async () => {
    const sent = await injectPush(r.worker, {
      msisdn: '+447400600007',
      profile: 'cp',
      sec: { method: 'USERPINMAC', userKey: '24680' },
    });
    const wrong = await r.handsets.enterPin('24680' + '00000', { msisdn: '+447400600007' });
    assert.equal(wrong.outcome, 'pin-refused');
    const out = await r.handsets.enterPin(sent.heard!, { msisdn: '+447400600007' });
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.sec, 'USERPINMAC');
    const name = clientNameOf(sent.registration);
    assertSessionStarted(await signalFor(r.worker, name), name);
  });

  test('DM profile, USERPINMAC, syncml:auth-MAC both ways (x-syncml-hmac)', async () => {
    const deviceId = r.handsets.phone('+447400600008').devInfo.DevId;
    const sent = await injectPush(r.worker, {
      msisdn: '+447400600008',
      profile: 'dm',
      sec: { method: 'USERPINMAC', userKey: '97531' },
      aauthType: 'HMAC',
      deviceId,
    });
    assert.ok(sent.segments >= 2);
    const out = await r.handsets.enterPin(sent.heard!, { msisdn: '+447400600008' });
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.profile, 'dm');
    const stored = r.handsets.phone('+447400600008').accounts.get('com.example.dm')!;
    assert.equal(stored.account.aauthPref, 'HMAC');
    assert.equal(stored.account.deviceId, deviceId);
    assert.notEqual(stored.clientNonce, sent.registration.appAuth[0]!.AAUTHDATA, 'kept the NextNonce of Package 2');
    const name = clientNameOf(sent.registration);
    assertSessionStarted(await signalFor(r.worker, name), name);
  });

  test('DM profile, USERPIN, digest: the wrong client secret ends as auth-failed too', async () => {
    r.handsets.phone('+447400600009').faults = { wrongSecret: true };
    const sent = await injectPush(r.worker, {
      msisdn: '+447400600009',
      profile: 'dm',
      sec: { method: 'USERPIN', pin: '8642' },
    });
    const out = await r.handsets.enterPin('8642', { msisdn: '+447400600009' });
    assert.equal(out.outcome, 'auth-failed');
    const signal = await signalFor(r.worker, clientNameOf(sent.registration));
    assert.equal(signal.cause, 'bad-digest');
  });
});

describe('NETWPIN pushes built by the worker (IMSI from the subscriber lookup)', () => {
  let r: Rig;
  before(async () => {
    r = await rig('{t-hs-netwpin}', 'NETWPIN');
  });
  after(async () => r.close());

  test('the handset verifies with its SIM IMSI and connects without any PIN', async () => {
    const id = await r.push('+447400610001', 'a');
    const out = await waitFor('handset done', () => r.handsets.phone('+447400610001').last?.outcome, 30_000);
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.sec, 'NETWPIN');
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    assertSessionStarted(await signalFor(r.worker, name), name);
  });

  test('a NETWPIN message altered on the way is discarded on arrival', async () => {
    r.handsets.phone('+447400610002').faults = { tamper: true };
    await r.push('+447400610002', 'b');
    const out = await waitFor('handset done', () => r.handsets.phone('+447400610002').last?.outcome, 30_000);
    assert.equal(out.outcome, 'push-discarded');
    assert.match(out.reason!, /IMSI/);
  });

  test('DM profile over NETWPIN, sent through the same bind', async () => {
    const sent = await injectPush(r.worker, {
      msisdn: '+447400610003',
      profile: 'dm',
      sec: { method: 'NETWPIN', imsi: imsiOf('+447400610003') },
    });
    const out = await waitFor('handset done', () => r.handsets.phone('+447400610003').last?.outcome, 30_000);
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.profile, 'dm');
    const name = clientNameOf(sent.registration);
    assertSessionStarted(await signalFor(r.worker, name), name);
  });
});

describe('USERNETWPIN pushes built by the worker', () => {
  let r: Rig;
  before(async () => {
    r = await rig('{t-hs-usernetw}', 'USERNETWPIN');
  });
  after(async () => r.close());

  test('IMSI ‖ PIN: the PIN alone is not enough, the SIM supplies the rest', async () => {
    const id = await r.push('+447400620001', 'a');
    const out = await r.handsets.enterPin(PIN, { msisdn: '+447400620001' });
    assert.equal(out.outcome, 'authenticated', JSON.stringify(out));
    assert.equal(out.sec, 'USERNETWPIN');
    const name = clientNameOf(r.worker.dm.registrations.get(id));
    assertSessionStarted(await signalFor(r.worker, name), name);
  });
});
