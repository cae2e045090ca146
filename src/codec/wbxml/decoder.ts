/**
 * WBXML → codec tree. Global tokens take precedence over language tokens; tag and
 * attribute code pages are separate states (WBXML §5.8.4.7; AOSP xltdecwbxml.c keeps
 * `cptag`/`cpattr`). Extension tokens are rejected: none of our languages defines any.
 */
import { codecError } from '../../errors.js';
import { ByteReader, entity } from './byte-reader.js';
import { DecodeContext, type ForbiddenChars } from './decode-context.js';
import { GLOBAL, TAG_HAS_ATTRS, TAG_HAS_CONTENT, TAG_ID_MASK } from './global-tokens.js';
import { readHeader, tableString, type WbxmlHeader } from './header.js';
import type { Language } from './language.js';
import { decodeAttributes } from './decode-attrs.js';
import { opaqueToNode } from './decode-opaque.js';
import { MAX_DEPTH } from './xml-parse.js';
import type { XmlDocument, XmlElement, XmlNode } from './tree.js';
import { writeXml } from './xml-write.js';

const LITERAL_TAGS: ReadonlySet<number> = new Set([
  GLOBAL.LITERAL,
  GLOBAL.LITERAL_C,
  GLOBAL.LITERAL_A,
  GLOBAL.LITERAL_AC,
]);
const XML_NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*$/;

export interface DecodeOptions {
  /** Force the language (PROV10, SYNCML12, DMDDF12) whatever the public id says. */
  readonly language?: string;
  /** Characters XML 1.0 forbids: refuse with XML_FORBIDDEN_CHAR (default) or escape as `\uXXXX`. */
  readonly forbiddenChars?: ForbiddenChars;
}
export interface DecodedWbxml extends Omit<WbxmlHeader, 'language' | 'bodyOffset'> {
  readonly language: string;
  readonly doc: XmlDocument;
  readonly xml: string;
  /** How many forbidden characters were escaped (0 unless `forbiddenChars: 'escape'`). */
  readonly escapedChars: number;
}

export class BodyDecoder {
  tagPage = 0;
  readonly attrState = { page: 0 };
  constructor(
    readonly r: ByteReader,
    readonly h: WbxmlHeader,
    readonly ctx: DecodeContext,
  ) {}

  get lang(): Language {
    return this.h.language;
  }

  literal(at: number): string {
    const name = tableString(this.h.stringTable, this.r.mbUint32(), at);
    if (!XML_NAME.test(name)) throw codecError('WBXML_BAD_STRING_REF', `literal "${name}" is not an XML name`, at);
    return name;
  }

  skipPI(): void {
    decodeAttributes(this, { name: '?', attrs: [] });
  }

  element(depth: number, ns: string | undefined): XmlElement {
    if (depth > MAX_DEPTH) throw codecError('WBXML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH}`, this.r.pos);
    while (this.r.peek() === GLOBAL.SWITCH_PAGE) {
      this.r.pos++;
      this.tagPage = this.r.u8();
    }
    const at = this.r.pos;
    const b = this.r.u8();
    const id = b & TAG_ID_MASK;
    const name = LITERAL_TAGS.has(b)
      ? this.literal(at)
      : id > GLOBAL.LITERAL
        ? this.lang.tags[this.tagPage]?.[id]
        : undefined;
    if (name === undefined) {
      throw codecError(
        'WBXML_UNKNOWN_TOKEN',
        `tag 0x${b.toString(16)} is not defined on ${this.lang.name} page ${this.tagPage}`,
        at,
        { page: this.tagPage, token: b },
      );
    }
    this.ctx.spend(name.length, at);
    const pageNs = this.lang.namespaces?.[this.tagPage];
    const attrs: [string, string][] = [];
    if (pageNs !== undefined && pageNs.toLowerCase() !== ns?.toLowerCase()) attrs.push(['xmlns', pageNs]);
    const elNs = pageNs ?? ns;
    if (b & TAG_HAS_ATTRS) for (const a of decodeAttributes(this, { name, attrs })) attrs.push(a);
    const children = b & TAG_HAS_CONTENT ? this.content(depth, elNs) : [];
    return { name, attrs, children };
  }

  private content(depth: number, ns: string | undefined): XmlNode[] {
    const kids: XmlNode[] = [];
    const text = (t: string, at: number) => {
      const checked = this.ctx.text(t, at, 'text');
      const last = kids.length - 1;
      if (typeof kids[last] === 'string') kids[last] += checked;
      else kids.push(checked);
    };
    for (;;) {
      const at = this.r.pos;
      switch (this.r.peek()) {
        case GLOBAL.END:
          this.r.pos++;
          return kids.filter((k) => k !== '');
        case GLOBAL.STR_I:
          this.r.pos++;
          text(this.r.cstring(), at);
          break;
        case GLOBAL.STR_T:
          this.r.pos++;
          text(tableString(this.h.stringTable, this.r.mbUint32(), at), at);
          break;
        case GLOBAL.ENTITY:
          this.r.pos++;
          text(entity(this.r.mbUint32(), at), at);
          break;
        case GLOBAL.PI:
          this.r.pos++;
          this.skipPI();
          break;
        case GLOBAL.OPAQUE: {
          this.r.pos++;
          const node = opaqueToNode(
            this.r.lengthPrefixed('OPAQUE'),
            this.h,
            this.ctx,
            (b, ctx) => decodeWith(b, ctx, undefined).doc.root,
          );
          if (typeof node === 'string') text(node, at);
          else kids.push(node);
          break;
        }
        case GLOBAL.EXT_I_0:
        case GLOBAL.EXT_I_1:
        case GLOBAL.EXT_I_2:
        case GLOBAL.EXT_T_0:
        case GLOBAL.EXT_T_1:
        case GLOBAL.EXT_T_2:
        case GLOBAL.EXT_0:
        case GLOBAL.EXT_1:
        case GLOBAL.EXT_2:
          throw codecError(
            'WBXML_UNKNOWN_TOKEN',
            `extension token 0x${this.r.peek().toString(16)} is not defined in ${this.lang.name}`,
            at,
          );
        default:
          kids.push(this.element(depth + 1, ns));
      }
    }
  }
}

/** Decodes a complete WBXML document: header, body, trailing PIs; nothing may follow. */
function decodeWith(
  bytes: Uint8Array,
  ctx: DecodeContext,
  language: string | undefined,
): { header: WbxmlHeader; doc: XmlDocument } {
  const r = new ByteReader(bytes, 'WBXML_TRUNCATED');
  const header = readHeader(r, language);
  const d = new BodyDecoder(r, header, ctx);
  while (r.peek() === GLOBAL.PI) {
    r.pos++;
    d.skipPI();
  }
  const root = d.element(1, undefined);
  while (r.remaining > 0 && r.peek() === GLOBAL.PI) {
    r.pos++;
    d.skipPI();
  }
  if (r.remaining > 0) throw codecError('WBXML_UNKNOWN_TOKEN', 'bytes after the root element', r.pos);
  return { header, doc: { root, publicId: header.language.fpi, systemId: header.language.systemId } };
}

export function decodeDocument(bytes: Uint8Array, opts: DecodeOptions = {}): { header: WbxmlHeader; doc: XmlDocument } {
  return decodeWith(bytes, new DecodeContext(bytes.length, opts.forbiddenChars), opts.language);
}

export function decodeWbxml(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedWbxml {
  const ctx = new DecodeContext(bytes.length, opts.forbiddenChars);
  const { header, doc } = decodeWith(bytes, ctx, opts.language);
  const { language, bodyOffset: _b, ...rest } = header;
  return { ...rest, language: language.name, doc, xml: safeWriteXml(doc), escapedChars: ctx.escaped };
}

function safeWriteXml(doc: XmlDocument): string {
  try {
    return writeXml(doc);
  } catch (err) {
    throw codecError('XML_INVALID', `decoded document cannot be written as XML: ${(err as Error).message}`, 0);
  }
}
