// TNDS as OMA-TS-DM_TND §9.2.1 wants it (Format and Type on every node) and the four ways it travels in <Data>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPush,
  decodeWbxml,
  dmDocument,
  encodeWbxml,
  parseXml,
  TNDS_ENCODINGS,
  type XmlElement,
  type XmlNode,
} from '../../../src/codec/index.js';
import { EXAMPLE_C, hex, plain, vectorHex, without } from './fixtures.js';

const isEl = (n: XmlNode | undefined): n is XmlElement => typeof n === 'object' && 'name' in n;
const kid = (e: XmlElement, name: string) => e.children.find((c): c is XmlElement => isEl(c) && c.name === name);
const textOf = (e: XmlElement | undefined) => (e?.children.find((c) => typeof c === 'string') as string) ?? '';

function find(e: XmlElement, name: string): XmlElement {
  if (e.name === name) return e;
  for (const c of e.children)
    if (isEl(c)) {
      const f = findOrUndefined(c, name);
      if (f) return f;
    }
  throw new Error(`no <${name}>`);
}
function findOrUndefined(e: XmlElement, name: string): XmlElement | undefined {
  try {
    return find(e, name);
  } catch {
    return undefined;
  }
}

function nodes(e: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of e.children)
    if (isEl(c) && c.name === 'Node') {
      out.push(c);
      nodes(c, out);
    }
  return out;
}

test('every TNDS node has Format and Type: MIME text/plain on leaves, DDFName on interior nodes', () => {
  const tree = find(dmDocument(EXAMPLE_C).root, 'MgmtTree');
  const all = nodes(tree);
  assert.equal(all.length, 25, 'Example C has 25 nodes');
  for (const n of all) {
    const name = textOf(kid(n, 'NodeName'));
    const rt = kid(n, 'RTProperties');
    assert.ok(rt, name);
    assert.deepEqual(
      rt.children.filter(isEl).map((c) => c.name),
      name === 'ExampleDM' ? ['ACL', 'Format', 'Type'] : ['Format', 'Type'],
      `${name}: RTProperties in the TND DTD's order`,
    );
    const format = kid(n, 'Value') ? (name === 'AAuthData' ? 'bin' : 'chr') : 'node';
    assert.ok(kid(kid(rt, 'Format')!, format), `${name}: Format ${format}`);
    const type = kid(rt, 'Type')!;
    if (kid(n, 'Value')) assert.equal(textOf(kid(type, 'MIME')), 'text/plain', `${name}: leaf Type is a MIME type`);
    else
      assert.equal(
        textOf(kid(type, 'DDFName')),
        name === 'ExampleDM' ? 'urn:oma:mo:oma-dm-dmacc:1.0' : '',
        `${name}: interior Type is DDFName (the MO identifier only on the DMAcc root)`,
      );
  }
});

test('TNDS encodings: Meta pairs Android accepts, and Data as inline tree, OPAQUE, XML text or hex', () => {
  const tree = plain(find(dmDocument(EXAMPLE_C).root, 'MgmtTree'));
  const meta: Record<string, [string, string]> = {};
  for (const tnds of TNDS_ENCODINGS) {
    const built = buildPush({ profile: 'dm', model: { ...EXAMPLE_C, tnds } }, { method: 'USERPIN', pin: '1234' });
    const root = built.doc.root;
    const m = find(root, 'Meta');
    meta[tnds] = [textOf(kid(m, 'Format')), textOf(kid(m, 'Type'))];
    const data = find(root, 'Data');
    const back = find(decodeWbxml(built.body).doc.root, 'Data');
    if (tnds === 'inline' || tnds === 'opaque') {
      assert.deepEqual(plain(data.children[0]!), tree, tnds);
      assert.deepEqual(plain(back.children[0]!), tree, `${tnds}: decodes to the same tree`);
    } else if (tnds === 'xml-text') {
      assert.equal(typeof data.children[0], 'string');
      assert.deepEqual(plain(parseXml(textOf(back)).root), tree, 'the Data text parses to the tree');
    } else {
      assert.match(textOf(back), /^(?:[0-9A-F]{2})+$/, 'uppercase hex digits');
      const nested = decodeWbxml(Buffer.from(textOf(back), 'hex'));
      assert.equal(nested.language, 'DMDDF12');
      assert.deepEqual(plain(nested.doc.root), tree, 'the hex is a DM DDF 1.2 WBXML document of the tree');
    }
    const opts = tnds === 'opaque' ? { tnds } : {};
    assert.equal(hex(encodeWbxml(built.xml, opts)), hex(built.body), `${tnds}: XML path = fast path`);
  }
  assert.deepEqual(meta, {
    inline: ['xml', 'application/vnd.syncml.dmtnds+xml'],
    opaque: ['bin', 'application/vnd.syncml.dmtnds+wbxml'],
    'xml-text': ['xml', 'application/vnd.syncml.dmtnds+xml'],
    'wbxml-hex': ['bin', 'application/vnd.syncml.dmtnds+wbxml'],
  });
});

test('wbxml-hex and opaque carry the nested TNDS document byte for byte as libwbxml nests it', () => {
  // libwbxml's xml2wbxml of the typed Example C: Data = OPAQUE <len> <nested DM DDF document>.
  const lib = vectorHex('libwbxml/example-c-typed.v12-nostrtbl.hex');
  const at = lib.indexOf(Buffer.from('4FC3', 'hex')) + 2; // Data with content, OPAQUE
  const len = ((lib[at]! & 0x7f) << 7) | lib[at + 1]!;
  const nestedLib = lib.subarray(at + 2, at + 2 + len);
  assert.equal(hex(nestedLib.subarray(0, 5)), '0200006A1B', 'WBXML 1.2, literal FPI, 27-octet string table');
  const built = buildPush(
    { profile: 'dm', model: { ...EXAMPLE_C, tnds: 'wbxml-hex' } },
    { method: 'USERPIN', pin: '1234' },
  );
  const data = textOf(find(decodeWbxml(built.body).doc.root, 'Data'));
  const libTree = plain(decodeWbxml(nestedLib).doc.root);
  // Ours adds the ACL on the account node (libwbxml's input is Example C, which has none).
  assert.deepEqual(plain(without(decodeWbxml(Buffer.from(data, 'hex')).doc.root, 'ACL')), libTree);
});
