/**
 * The one rule for characters, on every path a string takes through the codec (model →
 * WBXML, XML text → WBXML, WBXML → XML): XML 1.0 §2.2 `Char` —
 *   #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
 * so C0 controls other than TAB/LF/CR, NUL (which WBXML strings cannot carry either), U+FFFE,
 * U+FFFF and a surrogate that is not half of a pair are refused with XML_FORBIDDEN_CHAR.
 * The decoder may instead escape them visibly (`\uXXXX`) so an inspector can still show a
 * hostile push; the escaped output is well-formed XML.
 */
import { BootlineError, codecError } from '../../errors.js';

/** UTF-16 index of the first character XML 1.0 forbids, or -1. A char-code loop: it runs on every encoded string. */
export function forbiddenCharAt(s: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0xd800) || (c >= 0xe000 && c <= 0xfffd) || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** Whether a code point is an XML 1.0 Char (the ENTITY token and `&#n;` name code points). */
export function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export function codePointName(s: string, i: number): string {
  return 'U+' + s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
}

/** XML_FORBIDDEN_CHAR at a byte/text offset (decoder, XML reader, encoder). */
export function forbiddenAtOffset(what: string, s: string, i: number, offset: number): BootlineError {
  return codecError('XML_FORBIDDEN_CHAR', `${what} carries ${codePointName(s, i)}, which XML 1.0 forbids`, offset, {
    codePoint: s.charCodeAt(i),
  });
}

/** XML_FORBIDDEN_CHAR for a model field (no byte offset; `index` is the position in the value). */
export function forbiddenInField(field: string, s: string, i: number): BootlineError {
  return new BootlineError('XML_FORBIDDEN_CHAR', `${field}: ${codePointName(s, i)} is a character XML 1.0 forbids`, {
    field,
    index: i,
    codePoint: s.charCodeAt(i),
  });
}

/** Replaces every forbidden character by the visible text `\uXXXX`; returns the count too. */
export function escapeForbidden(s: string): { text: string; count: number } {
  let i = forbiddenCharAt(s);
  if (i < 0) return { text: s, count: 0 };
  let out = '';
  let last = 0;
  let count = 0;
  while (i >= 0) {
    out += s.slice(last, i) + '\\u' + s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
    count++;
    last = i + 1;
    i = forbiddenCharAt(s, last);
  }
  return { text: out + s.slice(last), count };
}
