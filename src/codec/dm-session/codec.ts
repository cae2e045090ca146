/**
 * DmMessage ⇄ the octets of an HTTP body: application/vnd.syncml.dm+wbxml (WBXML 1.2,
 * public id 0x1201 `-//SYNCML//DTD SyncML 1.2//EN`, UTF-8) or application/vnd.syncml.dm+xml
 * (OMA-TS-DM_RepPro-V1_2 §2.1, §2.2: any WBXML 1.x is accepted; we write 1.2).
 */
import { isBootlineError } from '../../errors.js';
import { decodeDocument } from '../wbxml/decoder.js';
import { encodeTree } from '../wbxml/encoder.js';
import { SYNCML12 } from '../wbxml/languages.js';
import { parseXml } from '../wbxml/xml-parse.js';
import { writeXml } from '../wbxml/xml-write.js';
import { dmMessageDocument, type DmMessage } from './message.js';
import { dmInvalid, dmMessageFromTree } from './parse.js';
import { DM_MEDIA_TYPES } from './tables.js';

export type DmEncoding = 'wbxml' | 'xml';

export function mediaTypeOf(encoding: DmEncoding): string {
  return encoding === 'wbxml' ? DM_MEDIA_TYPES.WBXML : DM_MEDIA_TYPES.XML;
}

/** The encoding a Content-Type names (parameters ignored); undefined when it is not a DM message. */
export function encodingOf(contentType: string | undefined): DmEncoding | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === DM_MEDIA_TYPES.WBXML) return 'wbxml';
  if (type === DM_MEDIA_TYPES.XML) return 'xml';
  return undefined;
}

export function encodeDmMessage(m: DmMessage, encoding: DmEncoding = 'wbxml'): Uint8Array {
  const doc = dmMessageDocument(m);
  if (encoding === 'xml') return Buffer.from(writeXml(doc), 'utf8');
  return encodeTree(SYNCML12, doc.root, { version: 2 });
}

/** Parses a DM message; WBXML_* / XML_INVALID for bad bytes, DM_MESSAGE_INVALID for a non-DM tree. */
export function decodeDmMessage(bytes: Uint8Array, encoding: DmEncoding = 'wbxml'): DmMessage {
  const root = encoding === 'xml' ? parseXml(Buffer.from(bytes).toString('utf8')).root : decodeDocument(bytes).doc.root;
  return dmMessageFromTree(root);
}

/** Like decodeDmMessage, but every failure is DM_MESSAGE_INVALID (the session side's one answer). */
export function readDmMessage(bytes: Uint8Array, encoding: DmEncoding = 'wbxml'): DmMessage {
  try {
    return decodeDmMessage(bytes, encoding);
  } catch (err) {
    if (isBootlineError(err) && err.code !== 'DM_MESSAGE_INVALID')
      throw dmInvalid(`not a SyncML DM message: ${err.message}`);
    throw err;
  }
}
