/**
 * What an OPAQUE in element content becomes in the tree. libwbxml nests a stand-alone
 * TNDS document in SyncML `<Data>` (libwbxml's xml2wbxml does); when the bytes decode as a
 * WBXML document in a known language we return its root element, as `wbxml2xml` does.
 * Otherwise the bytes become text: UTF-8 when valid, else base64. A nested document spends
 * the outer decode's budget (DecodeContext), so nesting cannot multiply the output.
 */
import { BootlineError } from '../../errors.js';
import { isValidUtf8 } from './byte-reader.js';
import { type DecodeContext, MAX_NESTING } from './decode-context.js';
import type { WbxmlHeader } from './header.js';
import type { XmlElement } from './tree.js';

export type NestedDecoder = (bytes: Uint8Array, ctx: DecodeContext) => XmlElement;

export function opaqueToNode(
  bytes: Uint8Array,
  outer: WbxmlHeader,
  ctx: DecodeContext,
  nested: NestedDecoder,
): XmlElement | string {
  if (outer.language.name === 'SYNCML12' && bytes.length > 4 && bytes[0]! <= 3 && ctx.nesting < MAX_NESTING) {
    ctx.nesting++;
    try {
      return nested(bytes, ctx);
    } catch (err) {
      // A budget overrun is the input's fault whichever document it happened in.
      if (!(err instanceof BootlineError) || err.code === 'WBXML_TOO_LARGE') throw err;
    } finally {
      ctx.nesting--;
    }
  }
  return isValidUtf8(bytes) ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString('base64');
}
