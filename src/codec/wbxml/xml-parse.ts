/**
 * A strict parser for the XML subset bootstrap documents use: prolog, DOCTYPE (public and
 * system id; an internal subset is skipped), elements, attributes, text, CDATA, comments,
 * PIs and the predefined/numeric entities. Hand-written because the XML side must reject
 * malformed input with an offset (xmlbuilder2's reader accepts `<a><b></a>`).
 * Whitespace-only text between elements is dropped (it is layout, not data).
 */
import { BootlineError, codecError } from '../../errors.js';
import type { XmlDocument, XmlElement, XmlNode } from './tree.js';
import { forbiddenAtOffset, forbiddenCharAt, isXmlCodePoint } from './xml-chars.js';

export const MAX_DEPTH = 64;
// XML 1.0 Name, restricted to characters that are XML Chars (no U+FFFE/U+FFFF, no lone surrogate).
const NAME_START = String.raw`[A-Za-z_:\u00C0-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF]`;
const NAME_CHAR = String.raw`[-A-Za-z0-9._:\u00B7\u00C0-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF]`;
const NAME = new RegExp(`(?:${NAME_START})(?:${NAME_CHAR})*`, 'y');
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  fail(msg: string, at = this.pos): never {
    throw codecError('XML_INVALID', msg, at);
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.pos);
  }
  expect(t: string): void {
    if (!this.startsWith(t)) this.fail(`expected "${t}"`);
    this.pos += t.length;
  }
  skipSpace(): void {
    while (/[ \t\r\n]/.test(this.s[this.pos] ?? '')) this.pos++;
  }
  until(t: string): string {
    const end = this.s.indexOf(t, this.pos);
    if (end < 0) this.fail(`unterminated construct, "${t}" not found`);
    const out = this.s.slice(this.pos, end);
    this.pos = end + t.length;
    return out;
  }
  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.s);
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }
  quoted(): string {
    const q = this.s[this.pos];
    if (q !== '"' && q !== "'") this.fail('expected a quoted value');
    this.pos++;
    return this.until(q);
  }
}

/** Raw text or CDATA: a character XML 1.0 forbids is refused where it stands. */
function checkChars(raw: string, at: number): void {
  const bad = forbiddenCharAt(raw);
  if (bad >= 0) throw forbiddenAtOffset('text', raw, bad, at + bad);
}

function decodeEntities(c: Cursor, raw: string, at: number): string {
  if (raw.includes('<')) c.fail('"<" is not allowed here', at + raw.indexOf('<'));
  checkChars(raw, at);
  return raw.replace(/&([^;&]*);?/g, (m, ent: string, i: number) => {
    if (!m.endsWith(';')) c.fail('unterminated entity reference', at + i);
    const cp = /^#x[0-9a-fA-F]+$/.test(ent)
      ? parseInt(ent.slice(2), 16)
      : /^#[0-9]+$/.test(ent)
        ? parseInt(ent.slice(1), 10)
        : -1;
    if (cp >= 0) {
      // A character reference must name a Char too (XML 1.0 §4.1 WFC: Legal Character).
      if (!isXmlCodePoint(cp))
        throw codecError('XML_FORBIDDEN_CHAR', `&${ent}; names a character XML 1.0 forbids`, at + i, {
          codePoint: cp,
        });
      return String.fromCodePoint(cp);
    }
    const named = ENTITIES[ent];
    if (named === undefined) c.fail(`unknown entity &${ent};`, at + i);
    return named;
  });
}

/** Skips comments, PIs and whitespace; returns false at end of input. */
function skipMisc(c: Cursor): void {
  for (;;) {
    c.skipSpace();
    if (c.startsWith('<!--')) {
      c.pos += 4;
      c.until('-->');
    } else if (c.startsWith('<?')) {
      c.pos += 2;
      c.until('?>');
    } else return;
  }
}

function doctype(c: Cursor): { publicId?: string; systemId?: string } {
  c.expect('<!DOCTYPE');
  c.skipSpace();
  c.name();
  c.skipSpace();
  const out: { publicId?: string; systemId?: string } = {};
  if (c.startsWith('PUBLIC')) {
    c.pos += 6;
    c.skipSpace();
    out.publicId = c.quoted();
    c.skipSpace();
    if (!c.startsWith('>') && !c.startsWith('[')) out.systemId = c.quoted();
  } else if (c.startsWith('SYSTEM')) {
    c.pos += 6;
    c.skipSpace();
    out.systemId = c.quoted();
  }
  c.skipSpace();
  if (c.startsWith('[')) c.until(']');
  c.skipSpace();
  c.expect('>');
  return out;
}

function attributes(c: Cursor): [string, string][] {
  const attrs: [string, string][] = [];
  const seen = new Set<string>(); // a linear duplicate check: elements may carry thousands of attributes
  for (;;) {
    const before = c.pos;
    c.skipSpace();
    if (c.startsWith('/>') || c.startsWith('>')) return attrs;
    if (c.pos === before) c.fail('expected whitespace before attribute');
    const at = c.pos;
    const n = c.name();
    if (seen.has(n)) c.fail(`duplicate attribute "${n}"`, at);
    seen.add(n);
    c.skipSpace();
    c.expect('=');
    c.skipSpace();
    const vAt = c.pos + 1;
    attrs.push([n, decodeEntities(c, c.quoted(), vAt)]);
  }
}

function content(c: Cursor, name: string, depth: number): XmlNode[] {
  const kids: XmlNode[] = [];
  const addText = (t: string) => {
    const last = kids[kids.length - 1];
    if (typeof last === 'string') kids[kids.length - 1] = last + t;
    else if (t !== '') kids.push(t);
  };
  for (;;) {
    if (c.pos >= c.s.length) c.fail(`element <${name}> is not closed`);
    if (c.startsWith('</')) {
      c.pos += 2;
      const at = c.pos;
      if (c.name() !== name) c.fail(`closing tag does not match <${name}>`, at);
      c.skipSpace();
      c.expect('>');
      return kids;
    }
    if (c.startsWith('<![CDATA[')) {
      c.pos += 9;
      const at = c.pos;
      const cdata = c.until(']]>');
      checkChars(cdata, at);
      addText(cdata);
    } else if (c.startsWith('<!--')) {
      c.pos += 4;
      c.until('-->');
    } else if (c.startsWith('<?')) {
      c.pos += 2;
      c.until('?>');
    } else if (c.startsWith('<')) kids.push(element(c, depth + 1));
    else {
      const at = c.pos;
      const end = c.s.indexOf('<', c.pos);
      const raw = c.s.slice(c.pos, end < 0 ? c.s.length : end);
      c.pos += raw.length;
      addText(decodeEntities(c, raw, at));
    }
  }
}

function element(c: Cursor, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw codecError('WBXML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH}`, c.pos);
  c.expect('<');
  const name = c.name();
  const attrs = attributes(c);
  if (c.startsWith('/>')) {
    c.pos += 2;
    return { name, attrs, children: [] };
  }
  c.expect('>');
  const kids = content(c, name, depth);
  const hasElements = kids.some((k) => typeof k !== 'string');
  const children = hasElements ? kids.filter((k) => typeof k !== 'string' || k.trim() !== '') : kids;
  return { name, attrs, children };
}

/** Parses XML text into the codec tree. Throws XML_INVALID with `details.offset` (UTF-16 index). */
export function parseXml(text: string): XmlDocument {
  try {
    const c = new Cursor(text.replace(/^\uFEFF/, ''));
    skipMisc(c);
    const dt = c.startsWith('<!DOCTYPE') ? doctype(c) : {};
    skipMisc(c);
    if (!c.startsWith('<')) c.fail('expected the root element');
    const root = element(c, 1);
    skipMisc(c);
    if (c.pos < c.s.length) c.fail('content after the root element');
    return { root, ...dt };
  } catch (err) {
    if (err instanceof BootlineError) throw err;
    throw codecError('XML_INVALID', String(err), 0);
  }
}
