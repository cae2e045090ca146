/**
 * bootline's Bootstrap Message codec — pure: no I/O, clock or randomness (callers pass the
 * TID and the concatenation reference). Every failure is a BootlineError with a stable
 * code; byte-level failures carry `details.offset`. See CONTRACT.md.
 */
export type {
  AppAuth,
  CpBootstrapModel,
  DmAuth,
  DmBootstrapModel,
  NapDef,
  PxLogical,
  TndsEncoding,
} from './document/model.js';
export { TNDS_ENCODINGS } from './document/model.js';
export { TNDS_META, TNDS_MIME_WBXML, TNDS_MIME_XML } from './document/tnds.js';
export { cpDocument } from './document/cp.js';
export { dmDocument, DMACC_DDF_NAME, LEAF_MIME } from './document/dm.js';

export type { SecInput, SecMethod } from './security/mac.js';
export {
  computeMac,
  verifyMac,
  userPinMacCode,
  verifyUserPinMacCode,
  macKey,
  SEC_VALUES,
  USERPINMAC_MIN_KEY,
} from './security/mac.js';
export { imsiKey } from './security/imsi-key.js';

export type { BuildPushOptions, BuiltPush, PushInput } from './push.js';
export { buildPush, buildDocument } from './push.js';

export type { WspPushInput } from './wsp/build.js';
export { buildWspPush } from './wsp/build.js';
export type { ParsedPush, WspContentType, WspField } from './wsp/parse.js';
export { parsePush } from './wsp/parse.js';
export {
  WSP_APPLICATION_IDS,
  WSP_CONTENT_TYPES,
  CONTENT_TYPE_CP,
  CONTENT_TYPE_DM,
  APP_ID_SYNCML_DM,
} from './wsp/tables.js';

export type { SegmentOptions, SmsSegment, DataCoding } from './sms/segment.js';
export { segmentPush, MAX_SEGMENTS, ESM_CLASS_UDHI } from './sms/segment.js';
export type { Concat, Udh } from './sms/udh.js';
export { buildUdh, parseUserData, WAP_PUSH_PORT, WSP_SOURCE_PORT } from './sms/udh.js';
export type { Reassembled } from './sms/reassemble.js';
export { reassemble, reassembleDetailed } from './sms/reassemble.js';
export type { SubmitSmAddressing, SubmitSmFields } from './sms/submit-fields.js';
export { submitSmFields } from './sms/submit-fields.js';

export type { XmlDocument, XmlElement, XmlNode, OpaqueNode } from './wbxml/tree.js';
export type { EncodeWbxmlOptions } from './wbxml/codec.js';
export { encodeWbxml, encodeDocument } from './wbxml/codec.js';
export type { DecodedWbxml, DecodeOptions } from './wbxml/decoder.js';
export { decodeWbxml } from './wbxml/decoder.js';
export type { WbxmlVersion } from './wbxml/encoder.js';
export { parseXml } from './wbxml/xml-parse.js';
export { writeXml } from './wbxml/xml-write.js';
export { encodeMbUint32, readMbUint32 } from './wbxml/mb-uint.js';

export type { InspectReport, Secrets, CheckStatus } from './inspect/report.js';
export { inspectPush } from './inspect/report.js';
export { formatInspection } from './inspect/format.js';
export type { Finding, FindingCode, Verdict } from './inspect/strict.js';
export { assertStrictlyAcceptable, strictFindings } from './inspect/strict.js';

export type {
  BootstrapChoice,
  BootstrapProfile,
  DeviceHint,
  DeviceProfile,
  DeviceProfileTable,
} from './profiles/device-profiles.js';
export {
  BUILTIN_DEVICE_PROFILES,
  chooseDeviceProfile,
  defineDeviceProfiles,
  tacOf,
} from './profiles/device-profiles.js';
