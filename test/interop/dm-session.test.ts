// libwbxml's wbxml2xml must read the SyncML DM packages bootline's handset and DM stand-in exchange
// as the same document we meant, and its xml2wbxml encoding of them must read back as the same message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeDmMessage,
  dmMessageDocument,
  encodeDmMessage,
  formatHmacHeader,
  macDigest,
  md5Digest,
  nonceBytes,
  package1,
  type DmMessage,
} from '../../src/codec/dm-session/index.js';
import { parseXml } from '../../src/codec/index.js';
import { SessionAuthority } from '../../src/dev/dm-stand-in/sessions.js';
import { freshCredentials } from '../../src/dm/credentials.js';
import { registrationFor, type Registration } from '../../src/dm/register-client.js';
import { plain } from '../unit/codec/fixtures.js';
import { tempDir, tool, writeTemp } from './tools.js';

const DEVINFO = { DevId: 'IMEI:359999990000000', Man: 'bootline', Mod: 'simulated-handset', DmV: '1.2', Lang: 'en-US' };

function exchanges(): { name: string; msg: DmMessage; bytes: Uint8Array }[] {
  const c = freshCredentials('com.example.dm', 'bs-interop');
  const digest: Registration = registrationFor('bs-interop', '+447400000001', 'com.example.dm', c);
  const hmac: Registration = { ...digest, appAuth: digest.appAuth.map((a) => ({ ...a, AAUTHTYPE: 'HMAC' as const })) };
  const out: { name: string; msg: DmMessage; bytes: Uint8Array }[] = [];
  for (const [name, reg] of [
    ['md5', digest],
    ['mac', hmac],
  ] as const) {
    const secret = { name: c.clientName, secret: c.clientSecret, nonce: nonceBytes(c.clientNonce) };
    const p1 = package1({
      sessionId: '1A',
      msgId: '1',
      serverUri: 'https://dm.example.com/dm',
      devInfo: DEVINFO,
      clientName: c.clientName,
      maxMsgSize: 10_000,
      ...(name === 'md5' ? { cred: { type: 'syncml:auth-md5', data: md5Digest(secret) } } : {}),
    });
    const bytes = encodeDmMessage(p1);
    const header =
      name === 'mac' ? formatHmacHeader({ username: c.clientName, mac: macDigest(secret, bytes) }) : undefined;
    const answer = new SessionAuthority(() => reg).answer(p1, bytes, header, 'wbxml');
    assert.equal(answer.status, 212, `${name}: the stand-in accepts what the handset sends`);
    out.push({ name: `package 1 (${name})`, msg: p1, bytes });
    out.push({ name: `package 2 (${name})`, msg: decodeDmMessage(answer.body), bytes: answer.body });
    const refused = new SessionAuthority(() => undefined).answer(p1, bytes, header, 'wbxml');
    out.push({ name: `package 2 refusing (${name})`, msg: decodeDmMessage(refused.body), bytes: refused.body });
  }
  return out;
}

test('wbxml2xml decodes every DM package the handset and the stand-in send to the same document', () => {
  const dir = tempDir('dm-session');
  for (const x of exchanges()) {
    const r = tool('wbxml2xml', [
      '-m',
      '0',
      '-o',
      '-',
      writeTemp(dir, `${x.name.replace(/\W+/g, '_')}.wbxml`, x.bytes),
    ]);
    assert.equal(r.status, 0, `${x.name}: ${r.stderr}`);
    const lib = parseXml(r.stdout.replace(/wbxml2xml succeeded\s*$/, '')).root;
    assert.deepEqual(plain(lib), plain(dmMessageDocument(x.msg).root), x.name);
  }
});

test('xml2wbxml’s encoding of the same packages reads back as the same messages', () => {
  const dir = tempDir('dm-session-enc');
  for (const x of exchanges()) {
    const xml = writeTemp(dir, `${x.name.replace(/\W+/g, '_')}.xml`, Buffer.from(encodeDmMessage(x.msg, 'xml')));
    const out = `${xml}.wbxml`;
    const r = tool('xml2wbxml', ['-v', '1.2', '-n', '-o', out, xml]);
    assert.equal(r.status, 0, `${x.name}: ${r.stderr}`);
    assert.deepEqual(decodeDmMessage(readFileSync(out)), decodeDmMessage(x.bytes), x.name);
  }
});
