/**
 * The optional WBXML string table (WBXML §5.7): the literal public id first when one is
 * needed, then — if sharing is on — every string used at least twice, in document order.
 * Offsets are byte offsets of NUL-terminated UTF-8 strings.
 */
import { splitAttribute } from './attr-split.js';
import type { Language } from './language.js';
import { isElement, type XmlElement } from './tree.js';

export interface StringTable {
  readonly bytes: Uint8Array;
  readonly offsets: ReadonlyMap<string, number>;
}

const utf8 = new TextEncoder();
const EMPTY: StringTable = { bytes: new Uint8Array(0), offsets: new Map() };

function countStrings(lang: Language, e: XmlElement, counts: Map<string, number>): void {
  const bump = (s: string) => counts.set(s, (counts.get(s) ?? 0) + 1);
  for (const [n, v] of e.attrs) {
    if (n === 'xmlns' || n.startsWith('xmlns:')) continue;
    const split = splitAttribute(lang, n, v, 0, 0);
    if (split.rest !== '' && !split.valueToken) bump(split.rest);
  }
  for (const c of e.children) {
    if (typeof c === 'string') {
      if (c !== '') bump(c);
    } else if (isElement(c)) countStrings(lang, c, counts);
  }
}

export function buildStringTable(
  lang: Language,
  root: XmlElement,
  opts: { literalFpi: boolean; shared: boolean },
): StringTable {
  if (!opts.literalFpi && !opts.shared) return EMPTY;
  const entries: string[] = opts.literalFpi ? [lang.fpi] : [];
  if (opts.shared) {
    const counts = new Map<string, number>();
    countStrings(lang, root, counts);
    for (const [s, n] of counts) if (n >= 2 && !s.includes('\0') && s !== lang.fpi) entries.push(s);
  }
  const offsets = new Map<string, number>();
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const s of entries) {
    const b = utf8.encode(s + '\0');
    offsets.set(s, at);
    parts.push(b);
    at += b.length;
  }
  const bytes = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, offsets };
}
