import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeWbxml, encodeWbxml, parseXml } from '../../../src/codec/index.js';
import { BootlineError, isBootlineError, type ErrorCode } from '../../../src/errors.js';
import { vectorHex, vectorText } from './fixtures.js';

function rejects(bytes: string, code: ErrorCode, offset: number) {
  assert.throws(
    () => decodeWbxml(Buffer.from(bytes.replace(/\s+/g, ''), 'hex')),
    (e) => isBootlineError(e, code) && e.details.offset === offset,
    `${bytes} → ${code} @${offset}`,
  );
}

test('corrupt WBXML: each failure has a stable code and the byte offset', () => {
  rejects('', 'WBXML_TRUNCATED', 0);
  rejects('03 0B 6A 00 C5', 'WBXML_TRUNCATED', 5); // libwbxml's wbxml2xml exits 45 (WBXML_ERROR_END_OF_BUFFER) on the same bytes
  rejects('04 0B 6A 00 45 01', 'WBXML_BAD_VERSION', 0);
  rejects('00 0B 6A 00 45 01', 'WBXML_BAD_VERSION', 0);
  rejects('03 0B 04 00 45 01', 'WBXML_BAD_CHARSET', 2);
  rejects('03 7F 6A 00 45 01', 'WBXML_UNKNOWN_LANGUAGE', 1);
  rejects('03 00 05 6A 02 41 00 45 01', 'WBXML_BAD_STRING_REF', 1);
  rejects('03 0B 6A 10 00', 'WBXML_TRUNCATED', 3);
  rejects('03 0B 6A 00 48 01', 'WBXML_UNKNOWN_TOKEN', 4);
  rejects('03 0B 6A 00 00 05 45 01', 'WBXML_UNKNOWN_TOKEN', 6);
  rejects('03 0B 6A 00 45 C6 7E 01 01 01', 'WBXML_UNKNOWN_TOKEN', 6);
  rejects('03 0B 6A 00 45 C6 06 FE 01 01 01', 'WBXML_UNKNOWN_TOKEN', 7);
  rejects('03 0B 6A 00 45 C6 06 80 00 01 01 01', 'WBXML_UNKNOWN_TOKEN', 7);
  rejects('03 0B 6A 00 45 83 05 01', 'WBXML_BAD_STRING_REF', 5);
  rejects('03 0B 6A 00 45 03 41 42', 'WBXML_TRUNCATED', 6);
  rejects('03 0B 6A 00 45 03 FF 00 01', 'WBXML_BAD_CHARSET', 6);
  rejects('03 0B 6A 00 45 C3 8F FF FF FF 7F 00', 'WBXML_TRUNCATED', 6);
  rejects('03 0B 6A 00 45 C3 FF FF FF FF 7F', 'WBXML_INTEGER_OVERFLOW', 6);
  rejects('03 0B 6A 00 45 01 45 01', 'WBXML_UNKNOWN_TOKEN', 6);
  rejects('03 0B 6A 00 C6 05 05 01 01', 'WBXML_DUPLICATE_ATTRIBUTE', 7);
  rejects('03 0B 6A 00 45 02 00 01', 'WBXML_BAD_CHARSET', 5);
  rejects('03 0B 6A 00' + ' 46'.repeat(80), 'WBXML_TOO_DEEP', 68);
  rejects('02 A4 01 6A 00' + ' 6D'.repeat(80), 'WBXML_TOO_DEEP', 69);
});

test('unencodable XML: unknown element/attribute, malformed XML, unknown language', () => {
  const cases: [string, ErrorCode][] = [
    ['<wap-provisioningdoc><bogus/></wap-provisioningdoc>', 'WBXML_UNENCODABLE'],
    ['<wap-provisioningdoc><parm colour="red"/></wap-provisioningdoc>', 'WBXML_UNENCODABLE'],
    ['<SyncML><Nope/></SyncML>', 'WBXML_UNENCODABLE'],
    ['<html/>', 'WBXML_UNKNOWN_LANGUAGE'],
    ['<wap-provisioningdoc><parm></wap-provisioningdoc>', 'XML_INVALID'],
    ['<wap-provisioningdoc', 'XML_INVALID'],
    ['just text', 'XML_INVALID'],
    ['<a x="1" x="2"/>', 'XML_INVALID'],
    ['<a>&bogus;</a>', 'XML_INVALID'],
    ['<a/><b/>', 'XML_INVALID'],
    ['<a>' + '<a>'.repeat(80) + '</a>'.repeat(81), 'WBXML_TOO_DEEP'],
  ];
  for (const [xml, code] of cases) {
    assert.throws(
      () => encodeWbxml(xml),
      (e) => isBootlineError(e, code) && typeof e.details.offset === 'number',
      xml.slice(0, 40),
    );
  }
  assert.throws(
    () => parseXml('<a>\n  <b></c>\n</a>'),
    (e) => isBootlineError(e, 'XML_INVALID') && e.details.offset === 11,
  );
});

/** Runs `fn`; passes if it returns or throws a BootlineError. Anything else fails the property. */
function onlyCodedErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof BootlineError && typeof e.details.offset === 'number') return true;
    throw e;
  }
}

test('fuzz: random bytes → a document or a BootlineError with an offset, never another exception', () => {
  const header = fc.constantFrom(
    '030B6A00',
    '02A4016A00',
    '0200006A1B' + Buffer.from('-//OMA//DTD-DM-DDF 1.2//EN\0').toString('hex'),
    '',
  );
  fc.assert(
    fc.property(header, fc.uint8Array({ maxLength: 300 }), (h, tail) =>
      onlyCodedErrors(() => decodeWbxml(Buffer.concat([Buffer.from(h, 'hex'), tail]))),
    ),
    { numRuns: 4000 },
  );
});

test('fuzz: mutations of valid bodies never escape as raw exceptions', () => {
  const seeds = [
    vectorHex('mozilla/cht-body.hex'),
    vectorHex('libwbxml/example-c.v12-nostrtbl.hex'),
    encodeWbxml(vectorText('documents/example-c.xml')),
  ];
  fc.assert(
    fc.property(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(),
      (i, muts, cut) => {
        const b = Buffer.from(seeds[i]!);
        for (const [pos, v] of muts) b[pos % b.length] = v;
        return onlyCodedErrors(() => decodeWbxml(b.subarray(0, b.length - (cut % 8))));
      },
    ),
    { numRuns: 3000 },
  );
});

test('fuzz: a huge declared length allocates nothing and fails fast', () => {
  const t0 = performance.now();
  rejects('03 0B 6A 8F FF FF FF 7F', 'WBXML_TRUNCATED', 3);
  rejects('03 0B 6A 00 45 C3 8F FF FF FF 7F', 'WBXML_TRUNCATED', 6);
  assert.ok(performance.now() - t0 < 200);
});
