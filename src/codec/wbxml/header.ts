/**
 * WBXML document header (WBXML §5.4–5.7): version · publicid · charset · strtbl.
 * A publicid of 0 means "literal": the FPI is the string at the following string-table index.
 */
import { codecError } from '../../errors.js';
import { type ByteReader, decodeUtf8 } from './byte-reader.js';
import { CHARSET_UTF8 } from './global-tokens.js';
import type { Language } from './language.js';
import { languageByFpi, languageByName, languageByPublicId } from './languages.js';

export interface WbxmlHeader {
  readonly version: 1 | 2 | 3;
  /** Numeric public id; 0 when the FPI was a string-table literal. */
  readonly publicId: number;
  readonly publicIdLiteral?: string;
  readonly charset: number;
  readonly stringTable: Uint8Array;
  readonly language: Language;
  /** Offset of the first body byte. */
  readonly bodyOffset: number;
}

/** The string starting at `index` in the table: up to its NUL, or to the table end (the
 * Android/OMA toolkit, xltenc.c, writes its literal FPI without a NUL). */
export function tableString(table: Uint8Array, index: number, at: number): string {
  if (index >= table.length)
    throw codecError(
      'WBXML_BAD_STRING_REF',
      `string-table index ${index} is outside the ${table.length}-byte table`,
      at,
    );
  const nul = table.indexOf(0, index);
  return decodeUtf8(table.subarray(index, nul < 0 ? table.length : nul), at);
}

export function readHeader(r: ByteReader, forced?: string): WbxmlHeader {
  const version = r.u8();
  if (version < 1 || version > 3)
    throw codecError('WBXML_BAD_VERSION', `version byte 0x${version.toString(16)} is not 1.1-1.3`, 0);
  const pidAt = r.pos;
  const publicId = r.mbUint32();
  const literalIndex = publicId === 0 ? r.mbUint32() : undefined;
  const csAt = r.pos;
  const charset = r.mbUint32();
  if (charset !== CHARSET_UTF8)
    throw codecError('WBXML_BAD_CHARSET', `charset MIBenum ${charset} is not UTF-8 (106)`, csAt, { charset });
  const stringTable = r.lengthPrefixed('string table');
  const publicIdLiteral = literalIndex === undefined ? undefined : tableString(stringTable, literalIndex, pidAt);
  const language =
    (forced === undefined ? undefined : languageByName(forced)) ??
    (publicIdLiteral === undefined ? languageByPublicId(publicId) : languageByFpi(publicIdLiteral));
  if (!language) {
    throw codecError(
      'WBXML_UNKNOWN_LANGUAGE',
      `public id ${publicIdLiteral ?? '0x' + publicId.toString(16)} is not a known language`,
      pidAt,
    );
  }
  return {
    version: version as 1 | 2 | 3,
    publicId,
    ...(publicIdLiteral === undefined ? {} : { publicIdLiteral }),
    charset,
    stringTable,
    language,
    bodyOffset: r.pos,
  };
}
