// The DM stand-in's session endpoint over real HTTP: challenges, nonces, its own credentials,
// the encodings, and the signed enrolment signal (with retries) to bootline.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  decodeDmMessage,
  DM_MEDIA_TYPES,
  encodeDmMessage,
  formatHmacHeader,
  headerStatus,
  md5Digest,
  nonceBytes,
  package1,
  type DmMessage,
} from '../../src/codec/dm-session/index.js';
import { DmStandIn } from '../../src/dev/dm-server.js';
import { freshCredentials, type DmCredentials } from '../../src/dm/credentials.js';
import { registerDevice, registrationFor } from '../../src/dm/register-client.js';
import { silentLogger } from '../../src/platform/logger.js';
import { signalReceiver, type SignalReceiver } from '../helpers/handset-stack.js';
import { DM_SECRET } from '../helpers/worker-stack.js';

let dm: DmStandIn;
let receiver: SignalReceiver;
let cred: DmCredentials;
const DEVINFO = { DevId: 'IMEI:359999990000001', Man: 'm', Mod: 'm', DmV: '1.2', Lang: 'en' };

before(async () => {
  receiver = await signalReceiver(DM_SECRET, 1); // bootline answers 503 once: the stand-in retries
  dm = new DmStandIn({ secret: DM_SECRET, logger: silentLogger(), bootlineUrl: receiver.url, signalRetryMs: 20 });
  await dm.listen(0);
  cred = freshCredentials('com.example.dm', 'bs-sessions');
  await registerDevice(
    { url: dm.url, secret: DM_SECRET },
    registrationFor('bs-sessions', '+447400700001', 'com.example.dm', cred),
  );
});
after(async () => {
  await dm.close();
  await receiver.close();
});

function p1(sessionId: string, msgId: string, nonce?: string, answering?: DmMessage): DmMessage {
  const data = nonce && md5Digest({ name: cred.clientName, secret: cred.clientSecret, nonce: nonceBytes(nonce) });
  return package1({
    sessionId,
    msgId,
    serverUri: 'https://dm.example.com/dm',
    devInfo: DEVINFO,
    clientName: cred.clientName,
    ...(data ? { cred: { type: 'syncml:auth-md5', data } } : {}),
    ...(answering ? { answering } : {}),
  });
}

async function post(body: Uint8Array | string, headers: Record<string, string> = {}) {
  const res = await fetch(dm.sessionUrl, {
    method: 'POST',
    headers: { 'content-type': DM_MEDIA_TYPES.WBXML, ...headers },
    body,
  });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function send(m: DmMessage, headers: Record<string, string> = {}) {
  const { res, bytes } = await post(encodeDmMessage(m), headers);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), DM_MEDIA_TYPES.WBXML);
  const reply = decodeDmMessage(bytes);
  return { reply, status: Number(headerStatus(reply)?.data), chal: headerStatus(reply)?.chal };
}

test('not a DM message: 415 for another media type, 400 for a body that is not SyncML DM', async () => {
  assert.equal((await post('hello', { 'content-type': 'text/plain' })).res.status, 415);
  const bad = await post(Buffer.from('030B6A00C5', 'hex'));
  assert.equal(bad.res.status, 400);
  assert.match(Buffer.from(bad.bytes).toString(), /not a SyncML DM message/);
});

test('no Cred: 407 and a challenge; the same session then authenticates with its nonce and gets 212', async () => {
  const first = await send(p1('1', '1'));
  assert.equal(first.status, 407);
  assert.equal(first.chal?.type, 'syncml:auth-md5');
  assert.ok(first.chal?.nextNonce);
  const ok = await send(p1('1', '2', first.chal!.nextNonce, first.reply));
  assert.equal(ok.status, 212);
  // The server proves itself with the CLIENT-level credentials and the server nonce bootline registered.
  const own = { name: cred.serverName, secret: cred.serverSecret, nonce: nonceBytes(cred.serverNonce) };
  assert.deepEqual(ok.reply.header.cred, { type: 'syncml:auth-md5', format: 'b64', data: md5Digest(own) });
  assert.ok(ok.chal?.nextNonce, 'the nonce for the next session');
  await dm.signalsIdle();
  assert.deepEqual(
    dm.signals.map((s) => [s.signal.event, s.status, s.attempts]),
    [['session-started', 202, 2]],
    'one signal, for the session that authenticated; posted again after a 503',
  );
  assert.ok(receiver.posts[0]!.verified);

  // The next session uses that nonce; a client with a stale one is challenged once more and recovers.
  const stale = await send(p1('2', '1', cred.clientNonce));
  assert.equal(stale.status, 401);
  assert.equal((await send(p1('2', '2', stale.chal!.nextNonce, stale.reply))).status, 212);
});

test('the XML encoding is answered in XML', async () => {
  const first = await send(p1('3', '1'));
  const { res, bytes } = await post(encodeDmMessage(p1('3', '2', first.chal!.nextNonce, first.reply), 'xml'), {
    'content-type': DM_MEDIA_TYPES.XML,
  });
  assert.equal(res.headers.get('content-type'), DM_MEDIA_TYPES.XML);
  assert.equal(headerStatus(decodeDmMessage(bytes, 'xml'))?.data, '212');
});

test('another auth type than the account names is refused twice, then signalled as auth-type-mismatch', async () => {
  const m = p1('4', '1');
  const hmac = { 'x-syncml-hmac': formatHmacHeader({ username: cred.clientName, mac: 'AAAA' }) };
  await dm.signalsIdle();
  const before = dm.signals.length;
  assert.equal((await send(m, hmac)).status, 401);
  assert.equal((await send(p1('4', '2'), hmac)).status, 401);
  await dm.signalsIdle();
  const s = dm.signals.slice(before);
  assert.deepEqual(
    s.map((x) => [x.signal.event, x.signal.cause, x.signal.serverId, x.signal.clientName]),
    [['auth-failed', 'auth-type-mismatch', 'com.example.dm', cred.clientName]],
  );
  assert.deepEqual(
    dm.sessions.filter((x) => x.sessionId === '4').map((x) => x.cause),
    ['auth-type-mismatch', 'auth-type-mismatch'],
  );
});
