import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWbxml, encodeWbxml, parseXml } from '../../../src/codec/index.js';
import { hex, plain, vectorHex, vectorText } from './fixtures.js';

const a = () => parseXml(vectorText('documents/example-a.xml'));
const c = () => parseXml(vectorText('documents/example-c.xml'));

test('Mozilla vector 1: 030B6A004501 is an empty wap-provisioningdoc (element with content flag, no content)', () => {
  const d = decodeWbxml(vectorHex('mozilla/empty-provdoc-body.hex'));
  assert.equal(d.version, 3);
  assert.equal(d.publicId, 0x0b);
  assert.equal(d.language, 'PROV10');
  assert.deepEqual(plain(d.doc.root), { name: 'wap-provisioningdoc', attrs: [], children: [] });
});

test('Mozilla vector 2 (CHT document with string table) decodes to BOOTSTRAP + 2 APPLICATION + 2 PXLOGICAL + 2 NAPDEF', () => {
  const d = decodeWbxml(vectorHex('mozilla/cht-body.hex'));
  assert.equal(d.stringTable.length, 0);
  const types = d.doc.root.children.map((ch) =>
    typeof ch === 'object' && 'attrs' in ch ? ch.attrs.find(([k]) => k === 'type')?.[1] : undefined,
  );
  assert.deepEqual([...types].sort(), [
    'APPLICATION',
    'APPLICATION',
    'BOOTSTRAP',
    'NAPDEF',
    'NAPDEF',
    'PXLOGICAL',
    'PXLOGICAL',
  ]);
  assert.match(d.xml, /<parm name="APPID" value="w2"\/>/);
  assert.match(d.xml, /<parm name="PXADDR" value="10\.1\.1\.1"\/>/);
  assert.match(d.xml, /<parm name="BEARER" value="GSM-GPRS"\/>/, 'page-0 value token 0xAB');
  // Round trip: our re-encoding decodes to the same tree.
  assert.deepEqual(plain(decodeWbxml(encodeWbxml(d.xml)).doc.root), plain(d.doc.root));
});

test('libwbxml encoding of Example A (xml2wbxml -v 1.3 -n) decodes to Example A', () => {
  const d = decodeWbxml(vectorHex('libwbxml/example-a.v13-nostrtbl.hex'));
  assert.deepEqual(plain(d.doc.root), plain(a().root));
});

test('libwbxml DM encoding with nested TNDS in OPAQUE is byte-identical to ours (tnds: opaque) and decodes back inline', () => {
  const lib = vectorHex('libwbxml/example-c.v12-nostrtbl.hex');
  const ours = encodeWbxml(vectorText('documents/example-c-tnds-wbxml-type.xml'), { tnds: 'opaque' });
  assert.equal(hex(ours), hex(lib));
  assert.equal(
    hex(lib.subarray(0x9a, 0x9a + 11)),
    '4FC386010200006A1B2D2F',
    'Data, OPAQUE len 86 01, nested header 02 00 00 6A 1B "-/"',
  );
  const d = decodeWbxml(lib);
  assert.deepEqual(plain(d.doc.root), plain(parseXml(vectorText('documents/example-c-tnds-wbxml-type.xml')).root));
});

test('Example C with TNDS inline on code page 2 (OMA toolkit xltdecwbxml.c form): 898 octets, header and Data bytes', () => {
  const body = encodeWbxml(vectorText('documents/example-c.xml'));
  assert.equal(body.length, 898);
  const h = hex(body);
  assert.ok(h.startsWith('02A4016A006D6C7103312E3200017203444D2F312E320001'), h.slice(0, 60));
  const data =
    '4F0002607703' +
    hex(Buffer.from('1.2')) +
    '0001646603' +
    hex(Buffer.from('ExampleDM')) +
    '00016F5C2501755103' +
    hex(Buffer.from('urn:oma:mo:oma-dm-dmacc:1.0')) +
    '00010101646603' +
    hex(Buffer.from('AppID'));
  assert.ok(h.includes(data), 'Data → SWITCH_PAGE 2 → MgmtTree …');
  assert.deepEqual(plain(decodeWbxml(body).doc.root), plain(c().root));
});

test('Kannel and libwbxml page choices for AAUTHLEVEL=APPSRV decode identically (ota_compiler.c vs xml2wbxml)', () => {
  const wrap = (parm: string) => Buffer.from(`030B6A0045C600015501${parm}0101`, 'hex');
  const kannel = decodeWbxml(wrap('8730068D01'));
  const libwbxml = decodeWbxml(wrap('87300000060001 8D01'.replace(' ', '')));
  assert.deepEqual(plain(kannel.doc.root), plain(libwbxml.doc.root));
  assert.match(kannel.xml, /<parm name="AAUTHLEVEL" value="APPSRV"\/>/);
});

test('AAUTHTYPE: encoder writes an inline string; decoder reads 0x90-0x93 and the 2002 tokens 0x80-0x82', () => {
  const xml =
    '<wap-provisioningdoc><characteristic type="APPAUTH"><parm name="AAUTHTYPE" value="DIGEST"/></characteristic></wap-provisioningdoc>';
  assert.equal(hex(encodeWbxml(xml)), '030B6A0045C600015701873306034449474553540001' + '0101');
  const body = (v: string) => Buffer.from(`030B6A0045C60001570187330006${v}010101`.replace('0006', '06'), 'hex');
  const value = (v: string) => /AAUTHTYPE" value="([^"]*)"/.exec(decodeWbxml(body(v)).xml)?.[1];
  assert.equal(value('93'), 'DIGEST');
  assert.equal(value('9190'), 'HTTP-,');
  assert.equal(value('82'), 'BASIC', 'ProvCont 1.1 (2002) token');
  assert.equal(value('8190'), 'HTTP-,');
});

test('version="1.0" is the single attribute token 0x46; other versions are 0x45 + inline string', () => {
  assert.equal(hex(encodeWbxml('<wap-provisioningdoc version="1.0"/>')), '030B6A00854601');
  assert.equal(hex(encodeWbxml('<wap-provisioningdoc version="1.1"/>')), '030B6A00854503312E310001');
});

test('string table and literal public id round-trip (Android OMA toolkit header form, xltenc.c)', () => {
  const xml = vectorText('documents/example-c.xml');
  const st = encodeWbxml(xml, { stringTable: true, literalPublicId: true });
  assert.equal(hex(st.subarray(0, 3)), '02' + '0000');
  const d = decodeWbxml(st);
  assert.equal(d.publicIdLiteral, '-//SYNCML//DTD SyncML 1.2//EN');
  assert.ok(d.stringTable.length > 30);
  assert.ok(st.length < encodeWbxml(xml).length, 'repeated strings are shared');
  assert.deepEqual(plain(d.doc.root), plain(c().root));
  // The OMA toolkit writes the FPI with no NUL terminator: `02 00 00 6A 1D` + 29 bytes.
  const toolkit = Buffer.concat([
    Buffer.from('0200006A1D', 'hex'),
    Buffer.from('-//SYNCML//DTD SyncML 1.2//EN'),
    Buffer.from('6D6B1201 01'.replace(' ', ''), 'hex'),
  ]);
  assert.match(decodeWbxml(toolkit).xml, /<SyncML xmlns="SYNCML:SYNCML1.2">\s*<SyncBody>\s*<Final\/>/);
});

test('WBXML versions 1.1-1.3 differ only in the version byte', () => {
  const xml = vectorText('documents/example-a.xml');
  const [v1, v2, v3] = ([1, 2, 3] as const).map((v) => encodeWbxml(xml, { version: v }));
  assert.equal(v1![0], 1);
  assert.equal(v2![0], 2);
  assert.equal(hex(v1!.subarray(1)), hex(v3!.subarray(1)));
  for (const b of [v1!, v2!, v3!]) assert.deepEqual(plain(decodeWbxml(b).doc.root), plain(a().root));
});
