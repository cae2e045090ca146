import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeWbxml, encodeDocument, parseXml, writeXml, type XmlElement } from '../../../src/codec/index.js';
import { PROV10_ATTR_STARTS, PROV10_ATTR_VALUES } from '../../../src/codec/wbxml/tables/prov10.js';
import { SYNCML12_TAGS_PAGE0 } from '../../../src/codec/wbxml/tables/syncml12.js';
import { METINF12_TAGS_PAGE1 } from '../../../src/codec/wbxml/tables/metinf12.js';
import { DMDDF12_TAGS_PAGE2 } from '../../../src/codec/wbxml/tables/dmddf12.js';
import { plain } from './fixtures.js';

// Text XML can carry (no controls, no lone surrogates) — the codec's domain.
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '"', ':', '/', '.', '-'),
    fc.constantFrom('é', '€', '中', '😀'),
  ),
  minLength: 1,
  maxLength: 12,
});
const tokenValues = [...Object.values(PROV10_ATTR_VALUES[0]), ...Object.values(PROV10_ATTR_VALUES[1])];
const parmNames = [...Object.values(PROV10_ATTR_STARTS[0]), ...Object.values(PROV10_ATTR_STARTS[1])]
  .filter((e) => e.startsWith('name='))
  .map((e) => e.slice(5));
const charTypes = [...Object.values(PROV10_ATTR_STARTS[0]), ...Object.values(PROV10_ATTR_STARTS[1])]
  .filter((e) => e.startsWith('type='))
  .map((e) => e.slice(5));

const parm = fc
  .record({
    name: fc.oneof(fc.constantFrom(...parmNames), text),
    value: fc.option(
      fc.oneof(
        fc.constantFrom(...tokenValues),
        text,
        fc.constantFrom(...tokenValues).map((v) => v + 'x'),
      ),
      { nil: undefined },
    ),
  })
  .map(
    ({ name, value }): XmlElement => ({
      name: 'parm',
      attrs:
        value === undefined
          ? [['name', name]]
          : [
              ['name', name],
              ['value', value],
            ],
      children: [],
    }),
  );

const { characteristic } = fc.letrec((tie) => ({
  characteristic: fc
    .record({
      type: fc.oneof(fc.constantFrom(...charTypes), text),
      kids: fc.array(fc.oneof({ depthSize: 'small' }, parm, tie('characteristic') as fc.Arbitrary<XmlElement>), {
        maxLength: 4,
      }),
    })
    .map(({ type, kids }): XmlElement => ({ name: 'characteristic', attrs: [['type', type]], children: kids })),
}));

const provDoc = fc
  .record({
    version: fc.option(fc.constantFrom('1.0', '1.1', '2'), { nil: undefined }),
    kids: fc.array(characteristic, { maxLength: 4 }),
  })
  .map(
    ({ version, kids }): XmlElement => ({
      name: 'wap-provisioningdoc',
      attrs: version ? [['version', version]] : [],
      children: kids,
    }),
  );

const leaf = (names: object, ns?: string) =>
  fc
    .record({ n: fc.constantFrom(...(Object.values(names) as string[])), t: fc.option(text, { nil: undefined }) })
    .map(
      ({ n, t }): XmlElement => ({ name: n, attrs: ns ? [['xmlns', ns]] : [], children: t === undefined ? [] : [t] }),
    );
const syncDoc = fc
  .array(
    fc.oneof(
      leaf(SYNCML12_TAGS_PAGE0),
      leaf(METINF12_TAGS_PAGE1, 'syncml:metinf'),
      leaf(DMDDF12_TAGS_PAGE2, 'syncml:dmddf1.2'),
    ),
    { maxLength: 12 },
  )
  .map(
    (kids): XmlElement => ({
      name: 'SyncML',
      attrs: [['xmlns', 'SYNCML:SYNCML1.2']],
      children: [{ name: 'SyncBody', attrs: [], children: kids }],
    }),
  );

const options = fc.record({
  version: fc.constantFrom(1 as const, 2 as const, 3 as const),
  stringTable: fc.boolean(),
  literalPublicId: fc.boolean(),
});

test('property: PROV trees survive encode → decode (all versions, string table on/off, literal public id)', () => {
  fc.assert(
    fc.property(provDoc, options, (root, opts) => {
      const bytes = encodeDocument({ root }, opts);
      const back = decodeWbxml(bytes);
      assert.deepEqual(plain(back.doc.root), plain(root));
      assert.deepEqual(plain(parseXml(back.xml).root), plain(root), 'and through XML text');
      return bytes[0] === opts.version;
    }),
    { numRuns: 400 },
  );
});

test('property: SyncML trees mixing the SyncML, MetInf and DM DDF code pages survive encode → decode', () => {
  fc.assert(
    fc.property(syncDoc, options, (root, opts) => {
      const back = decodeWbxml(encodeDocument({ root }, opts));
      assert.deepEqual(plain(back.doc.root), plain(root));
      assert.deepEqual(plain(parseXml(writeXml(back.doc)).root), plain(root));
      return true;
    }),
    { numRuns: 300 },
  );
});
