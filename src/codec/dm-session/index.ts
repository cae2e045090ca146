/**
 * The client side of a Bootstrap Message and the first SyncML DM 1.2 session it enables:
 * receiving the push (SEC/MAC check, document → DM account), the DM authentication digests,
 * and building/reading Package 1 and Package 2. Pure, like the rest of the codec.
 */
export type { AccountCredentials, DmAccount } from './account.js';
export { accountAuthType, accountFromBootstrap, accountUrl } from './account.js';
export type { Secret } from './auth.js';
export {
  authTypeOf,
  basicCredential,
  credentialFor,
  credentialsEqual,
  macDigest,
  md5Digest,
  nonceBytes,
  userHash,
} from './auth.js';
export type { DmEncoding } from './codec.js';
export { decodeDmMessage, encodeDmMessage, encodingOf, mediaTypeOf, readDmMessage } from './codec.js';
export type { HmacHeader } from './hmac-header.js';
export { formatHmacHeader, parseHmacHeader } from './hmac-header.js';
export type { DmChal, DmCommand, DmCred, DmHeader, DmItem, DmMessage } from './message.js';
export { dmMessageDocument } from './message.js';
export type { DevInfo, Package1Input, Package2Input } from './packages.js';
export { devInfoOf, headerStatus, package1, package2 } from './packages.js';
export type { HandsetSecrets, ReceivedBootstrap } from './receive.js';
export { bootstrapAccount, needsUserInput, readBootstrapPush, verifyBootstrap } from './receive.js';
export type { AuthType, DevInfoNode } from './tables.js';
export {
  AAUTH_LEVELS,
  ALERT_CODES,
  AUTH_TYPE_BY_AAUTHTYPE,
  AUTH_TYPES,
  DEVINFO_NODES,
  DM_MEDIA_TYPES,
  FORMAT_B64,
  HMAC_HEADER,
  STATUS_CODES,
} from './tables.js';
