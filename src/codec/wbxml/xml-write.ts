/**
 * Codec tree → XML text. A small serializer of its own: xmlbuilder2 checks each new attribute
 * against those already set (a DOM NamedNodeMap), which made a decoded element with 20,000
 * attributes take 11 s to write, and it leaves an `&` that already looks like an entity
 * reference unescaped, so the text `a&amp;b` came back as `a&b`. Output keeps xmlbuilder2's
 * layout: XML declaration, DOCTYPE, two-space indentation, text-only elements on one line.
 */
import { isElement, type XmlDocument, type XmlElement, type XmlNode } from './tree.js';

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
};
const escText = (s: string) => s.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!);
// Tab, LF and CR as character references: a parser normalises literal ones in an attribute to spaces.
const escAttr = (s: string) => s.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!);

function text(c: XmlNode): string {
  return typeof c === 'string' ? escText(c) : Buffer.from((c as { opaque: Uint8Array }).opaque).toString('base64');
}

function write(out: string[], e: XmlElement, indent: string | undefined): void {
  let open = `<${e.name}`;
  for (const [n, v] of e.attrs) open += ` ${n}="${escAttr(v)}"`;
  const pad = indent ?? '';
  const nl = indent === undefined ? '' : '\n';
  if (e.children.length === 0) {
    out.push(`${pad}${open}/>${nl}`);
    return;
  }
  // Only elements get a line each: indenting text would change it (mixed content is written flat).
  const elementsOnly = e.children.every(isElement);
  if (!elementsOnly || indent === undefined) {
    const inner: string[] = [];
    for (const c of e.children) isElement(c) ? write(inner, c, undefined) : inner.push(text(c));
    out.push(`${pad}${open}>${inner.join('')}</${e.name}>${nl}`);
    return;
  }
  out.push(`${pad}${open}>\n`);
  for (const c of e.children) write(out, c as XmlElement, pad + '  ');
  out.push(`${pad}</${e.name}>\n`);
}

/** Renders a document, indented by two spaces, with the XML declaration and DOCTYPE. */
export function writeXml(doc: XmlDocument, opts: { pretty?: boolean } = {}): string {
  const pretty = opts.pretty ?? true;
  const nl = pretty ? '\n' : '';
  const out = [`<?xml version="1.0"?>${nl}`];
  if (doc.publicId !== undefined)
    out.push(`<!DOCTYPE ${doc.root.name} PUBLIC "${doc.publicId}" "${doc.systemId ?? ''}">${nl}`);
  write(out, doc.root, pretty ? '' : undefined);
  return out.join('').replace(/\n$/, '') + '\n';
}

/** One element as compact XML text, no declaration (a TNDS MgmtTree carried as text in `<Data>`). */
export function writeXmlFragment(e: XmlElement): string {
  const out: string[] = [];
  write(out, e, undefined);
  return out.join('');
}
