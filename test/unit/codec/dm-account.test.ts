import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountAuthType,
  accountFromBootstrap,
  accountUrl,
  bootstrapAccount,
  readBootstrapPush,
  verifyBootstrap,
} from '../../../src/codec/dm-session/index.js';
import { buildPush, cpDocument, dmDocument, parseXml, type SecInput } from '../../../src/codec/index.js';
import { isBootlineError } from '../../../src/errors.js';
import { EXAMPLE_A, EXAMPLE_C, vectorText } from './fixtures.js';

test('CP (Example A): w7 APPLICATION → ServerID, ADDR, both credential sets, DIGEST preferred', () => {
  const a = accountFromBootstrap(parseXml(vectorText('documents/example-a.xml')));
  assert.deepEqual(a, {
    profile: 'cp',
    serverId: 'com.example.dm',
    name: 'Example DM',
    addr: 'https://dm.example.com/dm',
    aauthPref: 'DIGEST',
    client: { type: 'DIGEST', name: 'IMEI:490154203237518', secret: 'clientsecret', data: 'clientnonce' },
    server: { type: 'DIGEST', name: 'com.example.dm', secret: 'serversecret', data: 'servernonce' },
  });
  assert.equal(accountAuthType(a), 'syncml:auth-md5');
  assert.equal(accountUrl(a), 'https://dm.example.com/dm');
});

test('CP APPADDR/PORT form: the port joins the address; HMAC asks for syncml:auth-MAC', () => {
  const doc = cpDocument({
    ...EXAMPLE_A,
    addr: undefined,
    appAddr: { addr: 'https://dm.example.com/oma', addrType: 'URI', port: 8443 },
    appAuth: EXAMPLE_A.appAuth.map((x) => ({ ...x, type: 'HMAC' })),
  });
  const a = accountFromBootstrap(doc);
  assert.equal(a.port, 8443);
  assert.equal(accountUrl(a), 'https://dm.example.com:8443/oma');
  assert.equal(accountAuthType(a), 'syncml:auth-MAC');
});

test('DM profile (Example C): the DMAcc node of the TNDS, inline or nested in OPAQUE', () => {
  for (const tnds of ['inline', 'opaque'] as const) {
    const built = buildPush({ profile: 'dm', model: { ...EXAMPLE_C, tnds } }, { method: 'USERPIN', pin: '1234' });
    const a = bootstrapAccount(readBootstrapPush(built.wsp));
    assert.deepEqual(
      a,
      {
        profile: 'dm',
        serverId: 'com.example.dm',
        name: 'Example DM',
        addr: 'https://dm.example.com/dm',
        addrType: 'URI',
        port: 443,
        aauthPref: 'DIGEST',
        client: EXAMPLE_C.clientAuth,
        server: EXAMPLE_C.serverAuth,
        deviceId: 'IMEI:490154203237518',
      },
      tnds,
    );
  }
  assert.equal(accountFromBootstrap(parseXml(vectorText('documents/example-c.xml'))).serverId, 'com.example.dm');
});

test('documents without a DM account are DOCUMENT_INVALID', () => {
  const noW7 = parseXml('<wap-provisioningdoc><characteristic type="NAPDEF"/></wap-provisioningdoc>');
  const noClient = cpDocument({ ...EXAMPLE_A, appAuth: EXAMPLE_A.appAuth.slice(1) });
  const dm = dmDocument(EXAMPLE_C);
  const noDmAcc = parseXml(vectorText('documents/example-c.xml').replace('urn:oma:mo:oma-dm-dmacc:1.0', 'urn:x'));
  for (const [what, doc] of [
    ['no w7', noW7],
    ['no APPSRV', noClient],
    ['no DMAcc', noDmAcc],
  ] as const)
    assert.throws(
      () => accountFromBootstrap(doc),
      (e) => isBootlineError(e, 'DOCUMENT_INVALID'),
      what,
    );
  assert.ok(accountFromBootstrap(dm));
});

const BODY_SECS: [SecInput, { imsi?: string; typed?: string }, { imsi?: string; typed?: string }][] = [
  [{ method: 'USERPIN', pin: '1234' }, { typed: '1234' }, { typed: '1235' }],
  [{ method: 'NETWPIN', imsi: '466923103145252' }, { imsi: '466923103145252' }, { imsi: '466923103145253' }],
  [
    { method: 'USERNETWPIN', imsi: '310260123456789', pin: '0000' },
    { imsi: '310260123456789', typed: '0000' },
    { typed: '0000' },
  ],
];

test('the MAC is checked as each SEC method requires; a wrong secret or an altered body fails', () => {
  for (const [sec, right, wrong] of BODY_SECS) {
    const push = readBootstrapPush(buildPush({ profile: 'cp', model: EXAMPLE_A }, sec).wsp);
    assert.equal(push.sec, sec.method);
    assert.ok(verifyBootstrap(push, right), `${sec.method} right`);
    assert.ok(!verifyBootstrap(push, wrong), `${sec.method} wrong`);
    const body = Uint8Array.from(push.body);
    body[body.length >> 1]! ^= 0x01;
    assert.ok(!verifyBootstrap({ ...push, body }, right), `${sec.method} altered`);
  }
  assert.ok(
    !verifyBootstrap(readBootstrapPush(buildPush({ profile: 'cp', model: EXAMPLE_A }, BODY_SECS[0]![0]).wsp), {
      typed: '12a4',
    }),
  );
});

test('USERPINMAC: the user types K ‖ m; the header MAC does not decide', () => {
  const built = buildPush({ profile: 'dm', model: EXAMPLE_C }, { method: 'USERPINMAC', userKey: '12345' });
  const push = readBootstrapPush(built.wsp);
  assert.ok(verifyBootstrap(push, { typed: built.userCode! }));
  assert.ok(!verifyBootstrap(push, { typed: '12345' }), 'K alone is not the code');
  assert.ok(
    !verifyBootstrap(push, {
      typed: `12345${((Number(built.userCode!.slice(5)) + 1) % 100000).toString().padStart(5, '0')}`,
    }),
  );
  assert.ok(verifyBootstrap({ ...push, mac: '0'.repeat(40) }, { typed: built.userCode! }));
});

test('only signed bootstrap content types are taken', () => {
  const built = buildPush({ profile: 'cp', model: EXAMPLE_A }, { method: 'USERPIN', pin: '1234' });
  const sl = Buffer.from(built.wsp);
  assert.equal(sl[5], 0xb6, 'TID, PDU type, HeadersLen, Length-quote, length, then the content type');
  sl[5] = 0xb0; // content type 0x30: application/vnd.wap.slc
  assert.throws(
    () => readBootstrapPush(sl),
    (e) => isBootlineError(e, 'DOCUMENT_INVALID') && /not a Bootstrap/.test(e.message),
  );
  // TID, Push, HeadersLen 1, content type 0xB6 without SEC/MAC, then the body.
  const unsigned = Buffer.concat([Buffer.from([0x01, 0x06, 0x01, 0xb6]), Buffer.from(built.body)]);
  assert.throws(
    () => readBootstrapPush(unsigned),
    (e) => isBootlineError(e, 'DOCUMENT_INVALID') && /without SEC/.test(e.message),
  );
});
