/**
 * A WBXML language = the token tables of one document type plus the indexes the encoder
 * needs. Tables stay plain `as const` data in tables/; the reverse indexes are derived here,
 * once, at load.
 */
export type TokenMap = Readonly<Record<number, string>>;
export type PagedTokens = Readonly<Record<number, TokenMap>>;

export interface LanguageSpec {
  readonly name: string;
  /** Numeric WBXML public id, or null when the FPI travels as a string-table literal. */
  readonly publicId: number | null;
  readonly fpi: string;
  readonly systemId: string;
  readonly root: string;
  readonly tags: PagedTokens;
  /** xmlns of each tag page, for languages that mix namespaces (SyncML). */
  readonly namespaces?: Readonly<Record<number, string>>;
  readonly attrStarts?: PagedTokens;
  readonly attrValues?: PagedTokens;
  /** Attribute-value tokens decoded but never emitted (disputed between sources). */
  readonly decodeOnlyValues?: Readonly<Record<number, readonly number[]>>;
  /** Old tokens valid only inside `value` of a `parm` whose name is `parmName`. */
  readonly legacyValues?: { readonly page: number; readonly parmName: string; readonly tokens: TokenMap };
}

export interface PageToken {
  readonly page: number;
  readonly token: number;
}
export interface AttrStart extends PageToken {
  readonly attr: string;
  readonly prefix: string;
}

export interface Language extends LanguageSpec {
  readonly tagIndex: ReadonlyMap<string, readonly PageToken[]>;
  readonly nsPage: ReadonlyMap<string, number>;
  /** attribute name → starts, longest value prefix first. */
  readonly attrStartIndex: ReadonlyMap<string, readonly AttrStart[]>;
  /** attribute → value → starts whose prefix is the whole value (the common case, found without a scan). */
  readonly attrExactIndex: ReadonlyMap<string, ReadonlyMap<string, readonly AttrStart[]>>;
  readonly attrValueIndex: ReadonlyMap<string, readonly PageToken[]>;
}

function pages(t: PagedTokens | undefined): [number, TokenMap][] {
  return Object.entries(t ?? {}).map(([p, m]) => [Number(p), m]);
}

function entries(m: TokenMap): [number, string][] {
  return Object.entries(m).map(([t, v]) => [Number(t), v]);
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

export function splitAttrStart(entry: string): { attr: string; prefix: string } {
  const eq = entry.indexOf('=');
  return eq < 0 ? { attr: entry, prefix: '' } : { attr: entry.slice(0, eq), prefix: entry.slice(eq + 1) };
}

export function defineLanguage(spec: LanguageSpec): Language {
  const tagIndex = new Map<string, PageToken[]>();
  for (const [page, m] of pages(spec.tags))
    for (const [token, name] of entries(m)) push(tagIndex, name, { page, token });
  const nsPage = new Map<string, number>();
  for (const [page, ns] of Object.entries(spec.namespaces ?? {})) nsPage.set(ns.toLowerCase(), Number(page));
  const attrStartIndex = new Map<string, AttrStart[]>();
  const attrExactIndex = new Map<string, Map<string, AttrStart[]>>();
  for (const [page, m] of pages(spec.attrStarts)) {
    for (const [token, entry] of entries(m)) {
      const { attr, prefix } = splitAttrStart(entry);
      push(attrStartIndex, attr, { page, token, attr, prefix });
      if (!attrExactIndex.has(attr)) attrExactIndex.set(attr, new Map());
      push(attrExactIndex.get(attr)!, prefix, { page, token, attr, prefix });
    }
  }
  for (const list of attrStartIndex.values()) list.sort((a, b) => b.prefix.length - a.prefix.length || a.page - b.page);
  const attrValueIndex = new Map<string, PageToken[]>();
  for (const [page, m] of pages(spec.attrValues)) {
    const skip = new Set(spec.decodeOnlyValues?.[page] ?? []);
    for (const [token, value] of entries(m)) if (!skip.has(token)) push(attrValueIndex, value, { page, token });
  }
  return Object.freeze({ ...spec, tagIndex, nsPage, attrStartIndex, attrExactIndex, attrValueIndex });
}
