/** XML text ⇄ WBXML bytes: the entry points of the WBXML layer. */
import { codecError } from '../../errors.js';
import { encodeTree, type EncodeOptions } from './encoder.js';
import type { Language } from './language.js';
import { languageByFpi, languageByName, languageByRoot } from './languages.js';
import type { XmlDocument } from './tree.js';
import { parseXml } from './xml-parse.js';

export interface EncodeWbxmlOptions extends EncodeOptions {
  /** PROV10 | SYNCML12 | DMDDF12; by default taken from the DOCTYPE FPI, else the root element. */
  readonly language?: string;
}

export function languageOf(doc: XmlDocument, forced?: string): Language {
  const lang =
    (forced === undefined ? undefined : languageByName(forced)) ??
    (doc.publicId === undefined ? undefined : languageByFpi(doc.publicId)) ??
    languageByRoot(doc.root.name);
  if (!lang)
    throw codecError(
      'WBXML_UNKNOWN_LANGUAGE',
      `no WBXML language for <${doc.root.name}> ${doc.publicId ?? ''}`.trim(),
      0,
    );
  return lang;
}

/** Encodes a parsed document (the fast path: no XML text involved). */
export function encodeDocument(doc: XmlDocument, opts: EncodeWbxmlOptions = {}): Uint8Array {
  return encodeTree(languageOf(doc, opts.language), doc.root, opts);
}

/** Encodes XML text. Whitespace-only text between elements is layout and is not encoded. */
export function encodeWbxml(xml: string, opts: EncodeWbxmlOptions = {}): Uint8Array {
  return encodeDocument(parseXml(xml), opts);
}
