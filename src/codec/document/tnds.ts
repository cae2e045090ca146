/**
 * The four ways a TNDS MgmtTree can travel in a DM bootstrap's `<Data>` (TndsEncoding), with the
 * Meta (Format, Type) each one announces. OMA-TS-DM_TND defines the two MIME types,
 * application/vnd.syncml.dmtnds+xml and …+wbxml; Android's bootstrap checker accepts only the
 * pairs (xml, …+xml) and (bin, …+wbxml) as TNDS (CyanogenMod OMA-DM engine, dmBootstrapSession.cc), so
 * every encoding uses one.
 */
import { encodeTree } from '../wbxml/encoder.js';
import { DMDDF12 } from '../wbxml/languages.js';
import type { XmlElement, XmlNode } from '../wbxml/tree.js';
import { writeXmlFragment } from '../wbxml/xml-write.js';
import type { TndsEncoding } from './model.js';

export const TNDS_MIME_XML = 'application/vnd.syncml.dmtnds+xml';
export const TNDS_MIME_WBXML = 'application/vnd.syncml.dmtnds+wbxml';

export const TNDS_META: Readonly<Record<TndsEncoding, readonly [format: string, type: string]>> = {
  inline: ['xml', TNDS_MIME_XML],
  opaque: ['bin', TNDS_MIME_WBXML],
  'xml-text': ['xml', TNDS_MIME_XML],
  'wbxml-hex': ['bin', TNDS_MIME_WBXML],
};

/**
 * `<Data>`'s content. inline and opaque keep the element (the WBXML encoder writes code page 2,
 * or a nested document in OPAQUE when told `tnds: 'opaque'`); xml-text is the MgmtTree as XML text
 * (Samsung IDM parses the Data string as XML); wbxml-hex is the stand-alone DM DDF 1.2 WBXML
 * document (literal FPI, as libwbxml nests it) written as uppercase hex digits, which IDM turns
 * back into bytes (idmLibHexStringToBytes) before its TNDS WBXML decoder reads them.
 */
export function tndsData(tnds: TndsEncoding, tree: XmlElement): XmlNode {
  if (tnds === 'xml-text') return writeXmlFragment(tree);
  if (tnds === 'wbxml-hex')
    return Buffer.from(encodeTree(DMDDF12, tree, { version: 2 }))
      .toString('hex')
      .toUpperCase();
  return tree;
}
