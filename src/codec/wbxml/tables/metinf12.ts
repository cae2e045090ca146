/**
 * SyncML MetInf 1.2 — code page 1 of SyncML 1.2 (public id of the stand-alone DTD 0x1202),
 * namespace `syncml:metinf`.
 *
 * Source: OMA-TS-SyncML_MetaInfo-V1_2, as transcribed by libwbxml `src/wbxml_tables.c`
 * sv_syncml_metinf12_tag_table @ ebeb80d6. Note Meta/Format and Meta/Type live here
 * (0x07, 0x13), not on the DDF page, whose Format and Type (0x1C, 0x35) are TNDS RTProperties.
 */
export const METINF12_NAMESPACE = 'syncml:metinf';

export const METINF12_TAGS_PAGE1 = {
  0x05: 'Anchor',
  0x06: 'EMI',
  0x07: 'Format',
  0x08: 'FreeID',
  0x09: 'FreeMem',
  0x0a: 'Last',
  0x0b: 'Mark',
  0x0c: 'MaxMsgSize',
  0x0d: 'Mem',
  0x0e: 'MetInf',
  0x0f: 'Next',
  0x10: 'NextNonce',
  0x11: 'SharedMem',
  0x12: 'Size',
  0x13: 'Type',
  0x14: 'Version',
  0x15: 'MaxObjSize',
  0x16: 'FieldLevel',
} as const;
