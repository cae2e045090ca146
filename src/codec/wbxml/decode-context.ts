/**
 * What one decode may produce, shared by a document and the documents nested in its OPAQUEs.
 *
 * WBXML compresses: a 2-octet STR_T reference repeats a whole string-table entry, so 32 KB of
 * input (255 SMS) could otherwise decode to 128 million characters. The decoded names, text and
 * attribute values together may hold at most MAX_EXPANSION characters per input octet (with a
 * floor for tiny inputs); beyond that the decode stops with WBXML_TOO_LARGE. Real documents stay
 * far below it: Example C decodes at ~3 characters per octet, a string-table-heavy CP document
 * at ~10. Characters XML 1.0 forbids are refused (XML_FORBIDDEN_CHAR) or escaped visibly.
 */
import { codecError } from '../../errors.js';
import { escapeForbidden, forbiddenAtOffset, forbiddenCharAt } from './xml-chars.js';

export const MAX_EXPANSION = 64;
export const MIN_BUDGET = 65_536;
/** A TNDS nested in an OPAQUE nested in an OPAQUE…: a bound on the recursion, not a format limit. */
export const MAX_NESTING = 4;

export type ForbiddenChars = 'refuse' | 'escape';

export class DecodeContext {
  private left: number;
  nesting = 0;
  /** Characters replaced by `\uXXXX` (escape mode only). */
  escaped = 0;

  constructor(
    readonly inputLength: number,
    readonly forbidden: ForbiddenChars = 'refuse',
  ) {
    this.left = Math.max(MIN_BUDGET, MAX_EXPANSION * inputLength);
  }

  spend(n: number, at: number): void {
    this.left -= n;
    if (this.left < 0) {
      throw codecError(
        'WBXML_TOO_LARGE',
        `decoded content exceeds ${MAX_EXPANSION} characters per octet of the ${this.inputLength}-octet input`,
        at,
        { limit: Math.max(MIN_BUDGET, MAX_EXPANSION * this.inputLength) },
      );
    }
  }

  /** A decoded string on its way into the tree: counted, then checked against XML 1.0 Char. */
  text(s: string, at: number, what: string): string {
    this.spend(s.length, at);
    const bad = forbiddenCharAt(s);
    if (bad < 0) return s;
    if (this.forbidden === 'refuse') throw forbiddenAtOffset(what, s, bad, at);
    const { text, count } = escapeForbidden(s);
    this.escaped += count;
    return text;
  }
}
