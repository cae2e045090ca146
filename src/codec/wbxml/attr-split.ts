/**
 * How one XML attribute becomes WBXML attribute tokens: the attribute-start token with the
 * longest matching value prefix (e.g. `type="APPLICATION"` → page-1 0x55 with nothing left),
 * then the rest of the value as one value token if the whole rest has an undisputed token,
 * else as a string. The encoder calls the two halves directly, once per attribute of every
 * push, so they are plain index loops that allocate nothing (closures and the result
 * object showed up in --cpu-prof).
 */
import { codecError } from '../../errors.js';
import type { AttrStart, Language, PageToken } from './language.js';

export interface AttrSplit {
  readonly start: AttrStart;
  readonly rest: string;
  readonly valueToken: PageToken | undefined;
}

/** The candidate on `page` when there is one, else the first (lowest page). */
function onPage<T extends PageToken>(cands: readonly T[], page: number): T {
  for (let i = 0; i < cands.length; i++) if (cands[i]!.page === page) return cands[i]!;
  return cands[0]!;
}

/** The attribute-start token for `name="value"`, preferring the current attribute page. */
export function attrStart(lang: Language, name: string, value: string, page: number, offset: number): AttrStart {
  const exact = lang.attrExactIndex.get(name)?.get(value);
  if (exact !== undefined) return onPage(exact, page);
  const starts = lang.attrStartIndex.get(name);
  let best: AttrStart | undefined;
  for (let i = 0; starts !== undefined && i < starts.length; i++) {
    const s = starts[i]!;
    if (!value.startsWith(s.prefix)) continue;
    if (best === undefined) best = s;
    else if (s.prefix.length < best.prefix.length) break;
    else if (s.page === page) best = s;
  }
  if (best === undefined) {
    throw codecError('WBXML_UNENCODABLE', `attribute "${name}" has no token in ${lang.name}`, offset, {
      attribute: name,
    });
  }
  return best;
}

/** The value token standing for the whole `rest`, on the start's page if possible. */
export function attrValueToken(lang: Language, rest: string, page: number): PageToken | undefined {
  const cands = rest === '' ? undefined : lang.attrValueIndex.get(rest);
  return cands === undefined ? undefined : onPage(cands, page);
}

export function splitAttribute(lang: Language, name: string, value: string, page: number, offset: number): AttrSplit {
  const start = attrStart(lang, name, value, page, offset);
  const rest = value.slice(start.prefix.length);
  return { start, rest, valueToken: attrValueToken(lang, rest, start.page) };
}
