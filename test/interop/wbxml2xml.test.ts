// libwbxml's wbxml2xml (Debian libwbxml2-utils) must decode every body bootline produces to the same document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPush, parseXml, type PushInput, type XmlElement, type XmlNode } from '../../src/codec/index.js';
import { EXAMPLE_C, plain } from '../unit/codec/fixtures.js';
import { interopCases } from './cases.js';
import { tempDir, tool, writeTemp } from './tools.js';

const DDF_NS = 'syncml:dmddf1.2';

/** Renames elements: libwbxml knows no page-2 names inside SyncML 1.2, and with -l DMDDF12 knows only page 2. */
function masked(e: XmlElement, showDdf: boolean, inDdf = false): XmlNode {
  const ddf = inDdf || e.attrs.some(([k, v]) => k === 'xmlns' && v === DDF_NS);
  const keep = ddf === showDdf;
  return {
    name: keep ? e.name : 'unknown',
    attrs: keep ? e.attrs.filter(([k]) => k !== 'xmlns' || !showDdf) : [],
    children: e.children.map((c) => (typeof c === 'object' && 'name' in c ? masked(c, showDdf, ddf) : c)),
  };
}

function decodeWithLibwbxml(dir: string, name: string, body: Uint8Array, lang?: string): XmlElement {
  const file = writeTemp(dir, `${name.replace(/\W+/g, '_')}.wbxml`, body);
  const r = tool('wbxml2xml', ['-m', '0', ...(lang ? ['-l', lang] : []), '-o', '-', file]);
  assert.equal(r.status, 0, `wbxml2xml failed for ${name}: ${r.stderr}`);
  return parseXml(r.stdout.replace(/wbxml2xml succeeded\s*$/, '')).root;
}

test('wbxml2xml decodes every body we produce (both profiles, all SEC methods) to the same document', () => {
  const dir = tempDir('wbxml2xml');
  const cases = interopCases();
  assert.ok(cases.length >= 24);
  for (const c of cases) {
    const ours = c.built.doc.root;
    const inlineDdf = c.input.profile === 'dm' && !(c.input.model as { tnds?: string }).tnds;
    const lib = decodeWithLibwbxml(dir, c.name, c.built.body);
    if (!inlineDdf) {
      // libwbxml decodes nested TNDS back inline and then rewrites Meta/Type "+wbxml" to "+xml"
      // (the inverse of what xml2wbxml does); compare modulo that one rewrite.
      const norm = (t: unknown) => JSON.parse(JSON.stringify(t).replaceAll('dmtnds+wbxml', 'dmtnds+xml')) as unknown;
      assert.deepEqual(norm(plain(lib)), norm(plain(ours)), c.name);
      continue;
    }
    // Inline code page 2: check the SyncML/MetInf part by default, the TNDS part with -l DMDDF12.
    assert.deepEqual(plain(lib, true), plain(masked(ours, false), true), `${c.name} (SyncML pages)`);
    const ddf = decodeWithLibwbxml(dir, c.name + '-ddf', c.built.body, 'DMDDF12');
    assert.deepEqual(plain(ddf, true), plain(masked(ours, true), true), `${c.name} (DM DDF page)`);
  }
});

test('wbxml2xml rejects a truncated body as we do (exit 45, libwbxml WBXML_ERROR_END_OF_BUFFER)', () => {
  const dir = tempDir('wbxml2xml-bad');
  const r = tool('wbxml2xml', ['-o', '-', writeTemp(dir, 'bad.wbxml', Buffer.from('030B6A00C5', 'hex'))]);
  assert.notEqual(r.status, 0);
});

test('wbxml2xml decodes the TNDS document a wbxml-hex push carries as hex digits (what Samsung IDM un-hexes)', () => {
  const dir = tempDir('wbxml2xml-hex');
  const c = interopCases().find((k) => k.name.startsWith('dm example-c wbxml-hex-tnds'));
  assert.ok(c);
  const data = JSON.stringify(plain(c.built.doc.root)).match(/"name":"Data","attrs":\[\],"children":\["([0-9A-F]+)"\]/);
  assert.ok(data, 'Data holds hex digits');
  const lib = decodeWithLibwbxml(dir, 'nested-tnds', Buffer.from(data[1]!, 'hex'), 'DMDDF12');
  const inline = buildPush({ ...c.input, model: { ...EXAMPLE_C, tnds: 'inline' } } as PushInput, c.sec);
  assert.deepEqual(plain(lib, true), plain(findElement(inline.doc.root, 'MgmtTree')!, true));
});

function findElement(e: XmlElement, name: string): XmlElement | undefined {
  if (e.name === name) return e;
  for (const k of e.children) {
    const f = typeof k === 'object' && 'name' in k ? findElement(k, name) : undefined;
    if (f) return f;
  }
  return undefined;
}
