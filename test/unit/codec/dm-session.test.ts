import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  basicCredential,
  decodeDmMessage,
  devInfoOf,
  encodeDmMessage,
  formatHmacHeader,
  headerStatus,
  macDigest,
  md5Digest,
  nonceBytes,
  package1,
  package2,
  parseHmacHeader,
  readDmMessage,
  userHash,
  type DevInfo,
} from '../../../src/codec/dm-session/index.js';
import { encodeWbxml } from '../../../src/codec/index.js';
import { isBootlineError } from '../../../src/errors.js';
import { hex, vectorHex, vectorText } from './fixtures.js';

interface AuthVectors {
  userHash: { name: string; secret: string; b64: string }[];
  basic: { name: string; secret: string; b64: string }[];
  md5: { id: string; name: string; secret: string; nonce: string; digest: string }[];
  mac: { id: string; name: string; secret: string; nonce: string; bodyFile: string; bodyMd5: string; mac: string }[];
  hmacHeader: { value: string; algorithm: string; username: string; mac: string }[];
}
const AUTH = JSON.parse(vectorText('dm-session/auth.json')) as AuthVectors;

test('syncml:auth-md5, auth-basic and the user hash match the independently computed answers', () => {
  for (const v of AUTH.userHash) assert.equal(userHash(v.name, v.secret), v.b64);
  for (const v of AUTH.basic) assert.equal(basicCredential(v.name, v.secret), v.b64);
  for (const v of AUTH.md5)
    assert.equal(md5Digest({ name: v.name, secret: v.secret, nonce: nonceBytes(v.nonce) }), v.digest, v.id);
});

test('syncml:auth-MAC over the libwbxml-encoded packages matches the independently computed answers', () => {
  for (const v of AUTH.mac) {
    const body = vectorHex(v.bodyFile);
    assert.equal(macDigest({ name: v.name, secret: v.secret, nonce: nonceBytes(v.nonce) }, body), v.mac, v.id);
    const flipped = Buffer.from(body);
    flipped[flipped.length - 3]! ^= 1;
    assert.notEqual(macDigest({ name: v.name, secret: v.secret, nonce: nonceBytes(v.nonce) }, flipped), v.mac);
  }
});

test('nonces: base64 AAuthData is hashed as its octets, any other text as UTF-8', () => {
  assert.equal(hex(nonceBytes('Tm9uY2U=')), hex(Buffer.from('Nonce')));
  assert.equal(hex(nonceBytes('clientnonce')), hex(Buffer.from('clientnonce')));
  assert.equal(nonceBytes(undefined).length, 0);
});

test('x-syncml-hmac: the DM Security example parses; what we write parses back; malformed values are refused', () => {
  for (const v of AUTH.hmacHeader)
    assert.deepEqual(parseHmacHeader(v.value), { algorithm: v.algorithm, username: v.username, mac: v.mac });
  const written = formatHmacHeader({ username: 'a "quoted" name', mac: 'bWFj' });
  assert.deepEqual(parseHmacHeader(written), { algorithm: 'MD5', username: 'a "quoted" name', mac: 'bWFj' });
  assert.deepEqual(parseHmacHeader('username="u", mac=bWFj'), { algorithm: 'MD5', username: 'u', mac: 'bWFj' });
  for (const bad of ['', 'username="u"', 'mac=x', 'username="u, mac=x', 'username="u", username="v", mac=x', 'garbage'])
    assert.equal(parseHmacHeader(bad), null, bad);
});

const DEVINFO: DevInfo = {
  DevId: 'IMEI:493005100592800',
  Man: 'Manufacturer',
  Mod: 'Model',
  DmV: '1.2',
  Lang: 'en-US',
};
const CLIENT = { name: 'Bruce1', secret: 'OhBehave', nonce: nonceBytes('Tm9uY2U=') };

function vectorPackage1() {
  return package1({
    sessionId: '1',
    msgId: '1',
    serverUri: 'http://www.syncml.org/mgmt-server',
    devInfo: DEVINFO,
    clientName: 'Bruce1',
    cred: { type: 'syncml:auth-md5', format: 'b64', data: md5Digest(CLIENT) },
    maxMsgSize: 5000,
  });
}

test('Package 1 reads the same from our WBXML and from libwbxml’s encoding of the hand-written vector', () => {
  const ours = vectorPackage1();
  const lib = decodeDmMessage(vectorHex('libwbxml/dm-package1.v12-nostrtbl.hex'));
  assert.deepEqual(decodeDmMessage(encodeDmMessage(ours)), lib);
  assert.deepEqual(lib, ours, 'the model round-trips: what we build is what the vector says');
  assert.deepEqual([...encodeDmMessage(ours).subarray(0, 4)], [0x02, 0xa4, 0x01, 0x6a], 'WBXML 1.2, 0x1201, UTF-8');
  assert.deepEqual(devInfoOf(lib), {
    DevId: 'IMEI:493005100592800',
    Man: 'Manufacturer',
    Mod: 'Model',
    DmV: '1.2',
    Lang: 'en-US',
  });
  assert.equal(lib.header.cred?.data, '+MEIKFrF8Qdou2B1H2YmXw==', 'the md5 vector is the Cred of the vector');
});

test('Package 2 built from Package 1 is byte-identical to libwbxml’s encoding of the hand-written vector', () => {
  const request = decodeDmMessage(vectorHex('libwbxml/dm-package1.v12-nostrtbl.hex'));
  const reply = package2({
    request,
    msgId: '1',
    status: 212,
    chal: { type: 'syncml:auth-md5', nextNonce: 'ZG9vcnN0ZXA=' },
    cred: { type: 'syncml:auth-md5', data: '2EHxR5AYHEt+8mxMAmGTYw==' },
  });
  assert.equal(hex(encodeDmMessage(reply)), hex(vectorHex('libwbxml/dm-package2.v12-nostrtbl.hex')));
  assert.equal(hex(encodeDmMessage(reply)), hex(encodeWbxml(vectorText('documents/dm-package2.xml'))));
  const st = headerStatus(reply)!;
  assert.deepEqual([st.data, st.cmdRef, st.cmd, st.chal?.nextNonce], ['212', '0', 'SyncHdr', 'ZG9vcnN0ZXA=']);
});

test('a refused Package 1 gets 401 with a Chal for the header and a status for every command', () => {
  const reply = package2({
    request: vectorPackage1(),
    msgId: '1',
    status: 401,
    chal: { type: 'syncml:auth-md5', nextNonce: 'AAAA' },
  });
  assert.deepEqual(
    reply.commands.map((c) => (c.kind === 'Status' ? [c.cmd, c.cmdRef, c.data] : c.kind)),
    [
      ['SyncHdr', '0', '401'],
      ['Alert', '1', '401'],
      ['Replace', '2', '401'],
    ],
  );
  assert.equal(reply.header.cred, undefined, 'no server credentials in a refusal');
  assert.equal(reply.header.target, DEVINFO.DevId);
});

test('the XML form round-trips too', () => {
  const p1 = vectorPackage1();
  const xml = encodeDmMessage(p1, 'xml');
  assert.match(
    Buffer.from(xml).toString(),
    /^<\?xml[^>]*\?>\s*<!DOCTYPE SyncML PUBLIC "-\/\/SYNCML\/\/DTD SyncML 1\.2\/\/EN"/,
  );
  assert.deepEqual(decodeDmMessage(xml, 'xml'), p1);
});

test('what is not a DM message is DM_MESSAGE_INVALID', () => {
  const cases: [string, Uint8Array][] = [
    ['garbage', Buffer.from('not wbxml at all')],
    ['a CP document', vectorHex('libwbxml/example-a.v13-nostrtbl.hex')],
    ['no SessionID', encodeWbxml(vectorText('documents/dm-package2.xml').replace(/<SessionID>1<\/SessionID>/, ''))],
    ['a DS message', encodeWbxml(vectorText('documents/dm-package2.xml').replace('DM/1.2', 'SyncML/1.2'))],
  ];
  for (const [what, bytes] of cases)
    assert.throws(
      () => readDmMessage(bytes),
      (e) => isBootlineError(e, 'DM_MESSAGE_INVALID'),
      what,
    );
});
