import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpDocument,
  dmDocument,
  encodeDocument,
  encodeWbxml,
  decodeWbxml,
  parseXml,
  writeXml,
  type CpBootstrapModel,
} from '../../../src/codec/index.js';
import { isBootlineError } from '../../../src/errors.js';
import { EXAMPLE_A, EXAMPLE_C, hex, plain, vectorText, without } from './fixtures.js';

test('CP model → exactly the Example A document (example-a.xml), DOCTYPE included', () => {
  const doc = cpDocument(EXAMPLE_A);
  const ref = parseXml(vectorText('documents/example-a.xml'));
  assert.deepEqual(plain(doc.root), plain(ref.root));
  assert.equal(doc.publicId, '-//WAPFORUM//DTD PROV 1.0//EN');
  assert.equal(ref.publicId, doc.publicId);
});

test('DM model → Example C with Type on every node, plus the ACL granting the ServerID Get/Replace/Delete', () => {
  const doc = dmDocument(EXAMPLE_C);
  const ref = parseXml(vectorText('documents/example-c-typed.xml'));
  assert.deepEqual(plain(without(doc.root, 'ACL')), plain(ref.root));
  const xml = writeXml(doc);
  assert.match(xml, /<ACL>Get=com\.example\.dm&amp;Replace=com\.example\.dm&amp;Delete=com\.example\.dm<\/ACL>/);
  assert.match(xml, /<Add>\s*<CmdID>1<\/CmdID>/, 'Android rejects a bootstrap Add whose CmdID is not 1');
  assert.match(xml, /<LocURI>\.\/Inbox<\/LocURI>/);
  assert.match(xml, /<SessionID>0<\/SessionID>\s*<MsgID>0<\/MsgID>/);
});

test('DM nested-TNDS variant switches Meta to (bin, application/vnd.syncml.dmtnds+wbxml)', () => {
  const xml = writeXml(dmDocument({ ...EXAMPLE_C, tnds: 'opaque' }));
  assert.match(
    xml,
    /<Format xmlns="syncml:metinf">bin<\/Format>\s*<Type xmlns="syncml:metinf">application\/vnd\.syncml\.dmtnds\+wbxml<\/Type>/,
  );
});

test('round trip model → XML → WBXML → XML → tree, and the fast path equals the XML path byte for byte', () => {
  const full: CpBootstrapModel = {
    ...EXAMPLE_A,
    addr: undefined,
    appAddr: { addr: 'http://127.0.0.1/dm', addrType: 'IPV4', port: 8080 },
    toProxy: 'PROXY1',
    version: '1.0',
    napdef: {
      napId: 'NAP1',
      name: 'GPRS',
      bearer: 'GSM-GPRS',
      address: 'internet.example',
      auth: { type: 'PAP', name: 'u', secret: 'p' },
    },
    pxlogical: {
      proxyId: 'PROXY1',
      name: 'Proxy',
      physical: { physicalProxyId: 'PX1', address: '10.1.1.1', toNapId: 'NAP1', port: 8080 },
    },
  };
  for (const doc of [
    cpDocument(EXAMPLE_A),
    cpDocument(full),
    dmDocument(EXAMPLE_C),
    dmDocument({ ...EXAMPLE_C, tnds: 'opaque' }),
  ]) {
    const xml = writeXml(doc);
    const opaque = doc.root.name === 'SyncML' && /dmtnds\+wbxml/.test(xml);
    const opts = opaque ? { tnds: 'opaque' as const } : {};
    const viaXml = encodeWbxml(xml, opts);
    assert.equal(hex(encodeDocument(doc, opts)), hex(viaXml), 'fast path = XML path');
    const back = decodeWbxml(viaXml);
    assert.deepEqual(plain(back.doc.root), plain(doc.root));
    assert.deepEqual(plain(parseXml(back.xml).root), plain(doc.root));
  }
  const fullXml = writeXml(cpDocument(full));
  assert.match(fullXml, /<characteristic type="PORT">\s*<parm name="PORTNBR" value="8080"\/>/);
  assert.match(fullXml, /<parm name="BEARER" value="GSM-GPRS"\/>/);
});

test('invalid models are DOCUMENT_INVALID naming the field', () => {
  const bad: [object, string][] = [
    [{ ...EXAMPLE_A, providerId: '' }, 'providerId'],
    [{ ...EXAMPLE_A, appAuth: [] }, 'appAuth'],
    [{ ...EXAMPLE_A, appAddr: { addr: 'x' } }, 'addr'],
    [{ ...EXAMPLE_A, addr: undefined }, 'addr'],
    [{ ...EXAMPLE_A, appAuth: [{ level: 'ROOT', type: 'DIGEST' }] }, 'appAuth[0].level'],
    [{ ...EXAMPLE_A, addr: undefined, appAddr: { addr: 'x', port: 70000 } }, 'appAddr.port'],
  ];
  for (const [m, field] of bad)
    assert.throws(
      () => cpDocument(m as CpBootstrapModel),
      (e) => isBootlineError(e, 'DOCUMENT_INVALID') && e.details.field === field,
      field,
    );
  const dmBad: [object, string][] = [
    [{ ...EXAMPLE_C, tnds: 'base64' }, 'tnds'],
    [{ ...EXAMPLE_C, serverId: 'a&b' }, 'serverId'],
    [{ ...EXAMPLE_C, clientAuth: { type: 'DIGEST', data: 'not base64!' } }, 'clientAuth.data'],
    [{ ...EXAMPLE_C, accountNode: 'a/b' }, 'accountNode'],
    [{ ...EXAMPLE_C, deviceId: '' }, 'deviceId'],
  ];
  for (const [m, field] of dmBad)
    assert.throws(
      () => dmDocument(m as typeof EXAMPLE_C),
      (e) => isBootlineError(e, 'DOCUMENT_INVALID') && e.details.field === field,
      field,
    );
});
