/**
 * The document tree shared by the XML and WBXML sides: elements, attributes in document
 * order, text, and opaque bytes (encoder input only; the decoder turns OPAQUE into text or
 * a nested document). `xmlns` is kept as an ordinary attribute.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  readonly children: readonly XmlNode[];
}
export interface OpaqueNode {
  readonly opaque: Uint8Array;
}
export type XmlNode = XmlElement | string | OpaqueNode;

export interface XmlDocument {
  readonly root: XmlElement;
  /** DOCTYPE public identifier (FPI), when the document has one. */
  readonly publicId?: string;
  readonly systemId?: string;
}

export function isElement(n: XmlNode): n is XmlElement {
  return typeof n === 'object' && 'name' in n;
}

export function isOpaque(n: XmlNode): n is OpaqueNode {
  return typeof n === 'object' && 'opaque' in n;
}

/** Builds an element; `undefined` children are skipped so optional parts read inline. */
export function el(
  name: string,
  attrs?: Record<string, string>,
  ...children: (XmlNode | undefined | false)[]
): XmlElement {
  const a: (readonly [string, string])[] = [];
  for (const k in attrs) a.push([k, attrs[k]!]);
  const kids: XmlNode[] = [];
  for (const c of children) if (c !== undefined && c !== false) kids.push(c);
  return { name, attrs: a, children: kids };
}

export function attr(e: XmlElement, name: string): string | undefined {
  return e.attrs.find(([n]) => n === name)?.[1];
}
