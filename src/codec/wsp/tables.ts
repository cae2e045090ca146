/**
 * WSP well-known values used by a bootstrap push (WAP-230-WSP-20010705-a, Appendix A
 * tables 38–40 and the OMNA registries), as confirmed by AOSP WspTypeDecoder, Kannel
 * ota_prov.c and Wireshark packet-wsp.c.
 */

/** Content types (Table 40 / OMNA): code → media type. Header byte = code | 0x80. */
export const WSP_CONTENT_TYPES = {
  0x2e: 'application/vnd.wap.sic',
  0x30: 'application/vnd.wap.slc',
  0x35: 'text/vnd.wap.connectivity-xml',
  0x36: 'application/vnd.wap.connectivity-wbxml',
  0x3e: 'application/vnd.wap.mms-message',
  0x42: 'application/vnd.syncml.dm+wbxml',
  0x43: 'application/vnd.syncml.dm+xml',
  0x44: 'application/vnd.syncml.notification',
  0x4e: 'application/vnd.syncml.ds.notification',
} as const;

export const CONTENT_TYPE_CP = 0x36;
export const CONTENT_TYPE_DM = 0x42;

/** Well-known parameters (Table 38): SEC is a Short-integer, MAC a Text-value. */
export const WSP_PARAM = { Q: 0x00, CHARSET: 0x01, LEVEL: 0x02, TYPE: 0x03, NAME: 0x05, SEC: 0x11, MAC: 0x12 } as const;
export const WSP_PARAM_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Q',
  0x01: 'Charset',
  0x02: 'Level',
  0x03: 'Type',
  0x05: 'Name',
  0x11: 'SEC',
  0x12: 'MAC',
};

/** Header field names (Table 39) a push may carry; X-Wap-Application-Id is 0x2F. */
export const WSP_HEADER_NAMES: Readonly<Record<number, string>> = {
  0x04: 'Content-Language',
  0x0d: 'Content-Length',
  0x12: 'Date',
  0x2f: 'X-Wap-Application-Id',
  0x30: 'X-Wap-Content-URI',
  0x31: 'X-Wap-Initiator-URI',
  0x34: 'Push-Flag',
  0x3b: 'Encoding-Version',
};
export const HEADER_X_WAP_APPLICATION_ID = 0x2f;

/** X-Wap-Application-Id values (OMNA push app ids). */
export const WSP_APPLICATION_IDS: Readonly<Record<number, string>> = {
  0x00: 'x-wap-application:*',
  0x01: 'x-wap-application:push.sia',
  0x02: 'x-wap-application:wml.ua',
  0x04: 'x-wap-application:mms.ua',
  0x05: 'x-wap-application:push.syncml',
  0x07: 'x-wap-application:syncml.dm',
  0x09: 'x-wap-application:emn.ua',
  0x0a: 'x-wap-application:wv.ua',
};
export const APP_ID_SYNCML_DM = 0x07;

/** PDU types (Table 34). Connectionless push over SMS uses Push only. */
export const WSP_PDU_PUSH = 0x06;
export const WSP_PDU_CONFIRMED_PUSH = 0x07;

/** Value-length: 0–30 is a Short-length octet; 31 (Length-quote) is followed by a uintvar. */
export const SHORT_LENGTH_MAX = 30;
export const LENGTH_QUOTE = 0x1f;
export const MAC_LENGTH = 40;
