/**
 * Codec tree → WBXML (WAP-192-WBXML-20010725-a; versions 1.1–1.3, UTF-8 only).
 * Token choices are deterministic: stay on the current code page when the name exists
 * there, otherwise SWITCH_PAGE to the lowest page that has it; attribute values use a
 * value token only for a whole, undisputed match, everything else is an inline string
 * (or STR_T when the string table option is on).
 */
import { codecError } from '../../errors.js';
import { ByteWriter } from './byte-writer.js';
import { CHARSET_UTF8, GLOBAL, TAG_HAS_ATTRS, TAG_HAS_CONTENT } from './global-tokens.js';
import type { Language, PageToken } from './language.js';
import { DMDDF12, SYNCML12 } from './languages.js';
import { buildStringTable, type StringTable } from './string-table.js';
import { isElement, type XmlElement, type XmlNode } from './tree.js';
import { MAX_DEPTH } from './xml-parse.js';
import { attrStart, attrValueToken } from './attr-split.js';
import { forbiddenAtOffset, forbiddenCharAt } from './xml-chars.js';

export type WbxmlVersion = 1 | 2 | 3;
export interface EncodeOptions {
  /** WBXML minor version: 1 = 1.1, 2 = 1.2, 3 = 1.3. Defaults to 3 for PROV, 2 for SyncML. */
  readonly version?: WbxmlVersion;
  /** Put strings used more than once in the string table (STR_T). Defaults to false. */
  readonly stringTable?: boolean;
  /** Write the FPI as a string-table literal even when a numeric public id exists. */
  readonly literalPublicId?: boolean;
  /** SyncML only: TNDS inside `<Data>` as inline code page 2 (default) or libwbxml-style nested WBXML in OPAQUE. */
  readonly tnds?: 'inline' | 'opaque';
}

/** Namespace declarations steer the code page; they are not WBXML attributes. */
function isXmlns(n: string): boolean {
  return n === 'xmlns' || n.startsWith('xmlns:');
}

/** The candidate on `page`, or undefined (index loop: this runs for every element). */
function onPage(cands: readonly PageToken[], page: number | undefined): PageToken | undefined {
  for (let i = 0; i < cands.length; i++) if (cands[i]!.page === page) return cands[i];
  return undefined;
}

function hasWbxmlAttrs(e: XmlElement): boolean {
  for (let i = 0; i < e.attrs.length; i++) if (!isXmlns(e.attrs[i]![0])) return true;
  return false;
}

function hasContent(e: XmlElement): boolean {
  for (let i = 0; i < e.children.length; i++) if (e.children[i] !== '') return true;
  return false;
}

class Encoder {
  private tagPage = 0;
  private attrPage = 0;
  constructor(
    private readonly lang: Language,
    private readonly w: ByteWriter,
    private readonly table: StringTable,
    private readonly opts: EncodeOptions,
  ) {}

  private switchTag(page: number): void {
    if (page !== this.tagPage) {
      this.w.byte(GLOBAL.SWITCH_PAGE).byte(page);
      this.tagPage = page;
    }
  }
  private switchAttr(page: number): void {
    if (page !== this.attrPage) {
      this.w.byte(GLOBAL.SWITCH_PAGE).byte(page);
      this.attrPage = page;
    }
  }

  /** The one character rule (xml-chars.ts) holds for trees built in code too, not only for parsed XML. */
  string(s: string): void {
    const at = this.w.length;
    const ref = this.table.offsets.size === 0 ? undefined : this.table.offsets.get(s);
    if (ref !== undefined) {
      const bad = forbiddenCharAt(s);
      if (bad >= 0) throw forbiddenAtOffset('string', s, bad, at);
      this.w.byte(GLOBAL.STR_T).mbUint32(ref);
      return;
    }
    const bad = this.w.byte(GLOBAL.STR_I).xmlText(s);
    if (bad >= 0) throw forbiddenAtOffset('string', s, bad, at);
    this.w.byte(0);
  }

  private tagFor(e: XmlElement, ns: string | undefined): PageToken {
    const cands = this.lang.tagIndex.get(e.name);
    const nsPage = ns === undefined ? undefined : this.lang.nsPage.get(ns.toLowerCase());
    const tok =
      cands === undefined
        ? undefined
        : ((nsPage === undefined ? undefined : onPage(cands, nsPage)) ?? onPage(cands, this.tagPage) ?? cands[0]);
    if (!tok)
      throw codecError('WBXML_UNENCODABLE', `<${e.name}> has no token in ${this.lang.name}`, this.w.length, {
        element: e.name,
      });
    return tok;
  }

  private attribute(name: string, value: string): void {
    const start = attrStart(this.lang, name, value, this.attrPage, this.w.length);
    this.switchAttr(start.page);
    this.w.byte(start.token);
    if (value.length === start.prefix.length) return;
    const rest = start.prefix === '' ? value : value.slice(start.prefix.length);
    const valueToken = attrValueToken(this.lang, rest, start.page);
    if (valueToken) {
      this.switchAttr(valueToken.page);
      this.w.byte(valueToken.token);
    } else this.string(rest);
  }

  element(e: XmlElement, inheritedNs: string | undefined, depth: number): void {
    if (depth > MAX_DEPTH) throw codecError('WBXML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH}`, this.w.length);
    const ns = this.lang.namespaces ? (e.attrs.find(([n]) => n === 'xmlns')?.[1] ?? inheritedNs) : undefined;
    const tok = this.tagFor(e, ns);
    if (this.opts.tnds === 'opaque' && this.lang === SYNCML12 && e.name === 'MgmtTree' && tok.page === 2) {
      return this.opaque(encodeNested(e, this.opts));
    }
    const attrs = hasWbxmlAttrs(e);
    const content = hasContent(e);
    this.switchTag(tok.page);
    this.w.byte(tok.token | (content ? TAG_HAS_CONTENT : 0) | (attrs ? TAG_HAS_ATTRS : 0));
    if (attrs) {
      for (const [n, v] of e.attrs) if (!isXmlns(n)) this.attribute(n, v);
      this.w.byte(GLOBAL.END);
    }
    if (!content) return;
    for (const k of e.children) if (k !== '') this.node(k, ns, depth);
    this.w.byte(GLOBAL.END);
  }

  private node(k: XmlNode, ns: string | undefined, depth: number): void {
    if (typeof k === 'string') this.string(k);
    else if (isElement(k)) this.element(k, ns, depth + 1);
    else this.opaque(k.opaque);
  }

  private opaque(bytes: Uint8Array): void {
    this.w.byte(GLOBAL.OPAQUE).mbUint32(bytes.length).bytes(bytes);
  }
}

/** libwbxml's nested TNDS: a stand-alone DM DDF 1.2 document with a literal public id. */
function encodeNested(e: XmlElement, opts: EncodeOptions): Uint8Array {
  return encodeTree(DMDDF12, e, { version: opts.version ?? 2, stringTable: opts.stringTable ?? false });
}

/** Encodes a tree in a known language: header, string table, body. */
export function encodeTree(lang: Language, root: XmlElement, opts: EncodeOptions = {}): Uint8Array {
  const version = opts.version ?? (lang.name === 'PROV10' ? 3 : 2);
  if (![1, 2, 3].includes(version))
    throw codecError('CODEC_BAD_OPTION', `WBXML version 1.${version} is not supported`, 0);
  const literal = lang.publicId === null || opts.literalPublicId === true;
  const table = buildStringTable(lang, root, { literalFpi: literal, shared: opts.stringTable ?? false });
  const w = new ByteWriter();
  w.byte(version);
  if (literal) w.byte(0).mbUint32(0);
  else w.mbUint32(lang.publicId ?? 0);
  w.mbUint32(CHARSET_UTF8).mbUint32(table.bytes.length).bytes(table.bytes);
  new Encoder(lang, w, table, opts).element(root, undefined, 1);
  return w.finish();
}
