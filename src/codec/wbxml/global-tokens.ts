/**
 * WBXML global tokens, the same in every code page (WAP-192-WBXML-20010725-a §7.1, as
 * transcribed by libwbxml `src/wbxml_internals.h`). "Global tokens take precedence" over
 * language tokens with the same value, in tag and in attribute state alike.
 */
export const GLOBAL = {
  SWITCH_PAGE: 0x00,
  END: 0x01,
  ENTITY: 0x02,
  STR_I: 0x03,
  LITERAL: 0x04,
  EXT_I_0: 0x40,
  EXT_I_1: 0x41,
  EXT_I_2: 0x42,
  PI: 0x43,
  LITERAL_C: 0x44,
  EXT_T_0: 0x80,
  EXT_T_1: 0x81,
  EXT_T_2: 0x82,
  STR_T: 0x83,
  LITERAL_A: 0x84,
  EXT_0: 0xc0,
  EXT_1: 0xc1,
  EXT_2: 0xc2,
  OPAQUE: 0xc3,
  LITERAL_AC: 0xc4,
} as const;

/** Tag byte bits (§5.8.2): bit 6 = element has content, bit 7 = element has attributes. */
export const TAG_HAS_CONTENT = 0x40;
export const TAG_HAS_ATTRS = 0x80;
export const TAG_ID_MASK = 0x3f;

/** IANA MIBenum of UTF-8, the only charset this codec reads or writes. */
export const CHARSET_UTF8 = 106;

/** Byte values reserved as global tokens: never decoded as language tokens. */
const GLOBAL_SET: ReadonlySet<number> = new Set(Object.values(GLOBAL));
export function isGlobalToken(b: number): boolean {
  return GLOBAL_SET.has(b);
}
