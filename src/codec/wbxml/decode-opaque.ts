/**
 * What an OPAQUE in element content becomes in the tree. libwbxml nests a stand-alone
 * TNDS document in SyncML `<Data>` (reference §5.4 practice 2); when the bytes decode as a
 * WBXML document in a known language we return its root element, as `wbxml2xml` does.
 * Otherwise the bytes become text: UTF-8 when valid, else base64.
 */
import { BootlineError } from '../../errors.js';
import { isValidUtf8 } from './byte-reader.js';
import type { WbxmlHeader } from './header.js';
import type { XmlElement } from './tree.js';

export type NestedDecoder = (bytes: Uint8Array) => XmlElement;

const MAX_NESTING = 4;
let nesting = 0;

export function opaqueToNode(bytes: Uint8Array, outer: WbxmlHeader, nested: NestedDecoder): XmlElement | string {
  if (outer.language.name === 'SYNCML12' && bytes.length > 4 && bytes[0]! <= 3 && nesting < MAX_NESTING) {
    nesting++;
    try {
      return nested(bytes);
    } catch (err) {
      if (!(err instanceof BootlineError)) throw err;
    } finally {
      nesting--;
    }
  }
  return isValidUtf8(bytes) ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString('base64');
}
