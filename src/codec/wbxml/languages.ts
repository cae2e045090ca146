/** The WBXML languages this codec speaks, and how a document finds its language. */
import { defineLanguage, type Language } from './language.js';
import {
  PROV10_ATTR_STARTS,
  PROV10_ATTR_VALUES,
  PROV10_DECODE_ONLY_VALUES,
  PROV10_FPI,
  PROV10_LEGACY_AAUTHTYPE_VALUES,
  PROV10_PUBLIC_ID,
  PROV10_SYSTEM_ID,
  PROV10_TAGS,
} from './tables/prov10.js';
import {
  SYNCML12_FPI,
  SYNCML12_NAMESPACE,
  SYNCML12_PUBLIC_ID,
  SYNCML12_SYSTEM_ID,
  SYNCML12_TAGS_PAGE0,
} from './tables/syncml12.js';
import { METINF12_NAMESPACE, METINF12_TAGS_PAGE1 } from './tables/metinf12.js';
import { DMDDF12_FPI, DMDDF12_NAMESPACE, DMDDF12_SYSTEM_ID, DMDDF12_TAGS_PAGE2 } from './tables/dmddf12.js';

export const PROV10 = defineLanguage({
  name: 'PROV10',
  publicId: PROV10_PUBLIC_ID,
  fpi: PROV10_FPI,
  systemId: PROV10_SYSTEM_ID,
  root: 'wap-provisioningdoc',
  tags: PROV10_TAGS,
  attrStarts: PROV10_ATTR_STARTS,
  attrValues: PROV10_ATTR_VALUES,
  decodeOnlyValues: PROV10_DECODE_ONLY_VALUES,
  legacyValues: { page: 1, parmName: 'AAUTHTYPE', tokens: PROV10_LEGACY_AAUTHTYPE_VALUES },
});

export const SYNCML12 = defineLanguage({
  name: 'SYNCML12',
  publicId: SYNCML12_PUBLIC_ID,
  fpi: SYNCML12_FPI,
  systemId: SYNCML12_SYSTEM_ID,
  root: 'SyncML',
  tags: { 0: SYNCML12_TAGS_PAGE0, 1: METINF12_TAGS_PAGE1, 2: DMDDF12_TAGS_PAGE2 },
  namespaces: { 0: SYNCML12_NAMESPACE, 1: METINF12_NAMESPACE, 2: DMDDF12_NAMESPACE },
});

/** Stand-alone TNDS document (what libwbxml nests in OPAQUE): literal FPI, tags on page 2. */
export const DMDDF12 = defineLanguage({
  name: 'DMDDF12',
  publicId: null,
  fpi: DMDDF12_FPI,
  systemId: DMDDF12_SYSTEM_ID,
  root: 'MgmtTree',
  tags: { 2: DMDDF12_TAGS_PAGE2 },
  namespaces: { 2: DMDDF12_NAMESPACE },
});

export const LANGUAGES: readonly Language[] = [PROV10, SYNCML12, DMDDF12];
export type LanguageName = 'PROV10' | 'SYNCML12' | 'DMDDF12';

export function languageByName(name: string): Language | undefined {
  return LANGUAGES.find((l) => l.name === name.toUpperCase());
}

export function languageByPublicId(id: number): Language | undefined {
  return LANGUAGES.find((l) => l.publicId === id);
}

export function languageByFpi(fpi: string): Language | undefined {
  return LANGUAGES.find((l) => l.fpi === fpi.trim());
}

export function languageByRoot(root: string): Language | undefined {
  return LANGUAGES.find((l) => l.root === root);
}
