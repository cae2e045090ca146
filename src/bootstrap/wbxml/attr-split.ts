/**
 * How one XML attribute becomes WBXML attribute tokens: the attribute-start token with the
 * longest matching value prefix (e.g. `type="APPLICATION"` → page-1 0x55 with nothing left),
 * then the rest of the value as one value token if the whole rest has an undisputed token,
 * else as a string.
 */
import { codecError } from '../../errors.js';
import type { AttrStart, Language, PageToken } from './language.js';

export interface AttrSplit {
  readonly start: AttrStart;
  readonly rest: string;
  readonly valueToken: PageToken | undefined;
}

export function splitAttribute(lang: Language, name: string, value: string, page: number, offset: number): AttrSplit {
  const exact = lang.attrExactIndex.get(name)?.get(value);
  let best: AttrStart | undefined = exact && (exact.length === 1 || exact[0]!.page === page ? exact[0] : exact.find((s) => s.page === page) ?? exact[0]);
  for (const s of best ? [] : lang.attrStartIndex.get(name) ?? []) {
    if (!value.startsWith(s.prefix)) continue;
    if (best === undefined) best = s;
    else if (s.prefix.length < best.prefix.length) break;
    else if (s.page === page) best = s;
  }
  if (best === undefined) {
    throw codecError('WBXML_UNENCODABLE', `attribute "${name}" has no token in ${lang.name}`, offset, { attribute: name });
  }
  const rest = value.slice(best.prefix.length);
  const cands = rest === '' ? undefined : lang.attrValueIndex.get(rest);
  const valueToken = cands?.find((c) => c.page === best.page) ?? cands?.[0];
  return { start: best, rest, valueToken };
}
