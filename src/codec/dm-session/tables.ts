/**
 * Protocol constants of a SyncML DM 1.2 session (OMA-TS-DM_Protocol-V1_2 §8 "Protocol
 * packages" and §9 "Authentication"; OMA-TS-DM_Security-V1_2 §5.1.3–5.1.4; OMA-TS-DM_RepPro
 * V1_2 "Alert codes" and "Response status codes"; OMA-TS-DM_StdObj-V1_2 DevInfo and DMAcc).
 */

/** Media types of a DM message on HTTP (OMA-TS-DM_RepPro §2.1 "MIME usage"). */
export const DM_MEDIA_TYPES = {
  WBXML: 'application/vnd.syncml.dm+wbxml',
  XML: 'application/vnd.syncml.dm+xml',
} as const;

/** SyncHdr constants a DM 1.2 package MUST carry (DM_Protocol §8.3 "Package 1", §8.4 "Package 2"). */
export const VER_DTD = '1.2';
export const VER_PROTO = 'DM/1.2';

/** Alert codes (DM_RepPro "Alert codes"). */
export const ALERT_CODES = {
  DISPLAY: '1100',
  SERVER_INITIATED_MGMT: '1200',
  CLIENT_INITIATED_MGMT: '1201',
  NEXT_MESSAGE: '1222',
  SESSION_ABORT: '1223',
} as const;

/** Response status codes a session's first exchange uses (DM_RepPro "Response Status Codes"). */
export const STATUS_CODES = {
  OK: 200,
  AUTHENTICATION_ACCEPTED: 212,
  UNAUTHORIZED: 401,
  AUTHENTICATION_REQUIRED: 407,
} as const;

/**
 * Authentication types of Cred and Chal Meta/Type (DM_Security §5.1.3 "syncml:auth-md5",
 * §5.1.4.1 "syncml:auth-MAC"; DM_RepPro Cred). Compared without regard to case: DM 1.1
 * wrote `syncml:auth-MD5`.
 */
export const AUTH_TYPES = {
  BASIC: 'syncml:auth-basic',
  MD5: 'syncml:auth-md5',
  MAC: 'syncml:auth-MAC',
} as const;
export type AuthType = (typeof AUTH_TYPES)[keyof typeof AUTH_TYPES];

/**
 * DMAcc AAuthType / CP AAUTHTYPE value → the SyncML authentication it means
 * (DM_StdObj DMAcc `<x>/AppAuth/<x>/AAuthType`: BASIC = syncml:auth-basic,
 * DIGEST = syncml:auth-md5, HMAC = syncml:auth-MAC).
 */
export const AUTH_TYPE_BY_AAUTHTYPE: Readonly<Record<string, AuthType>> = {
  BASIC: AUTH_TYPES.BASIC,
  DIGEST: AUTH_TYPES.MD5,
  HMAC: AUTH_TYPES.MAC,
};

/** The transport header that carries syncml:auth-MAC (DM_Security §5.1.4.3). */
export const HMAC_HEADER = 'x-syncml-hmac';

/** Cred/Chal Meta/Format for digests and nonces (DM_Security §5.1.3.1). */
export const FORMAT_B64 = 'b64';

/** The DevInfo nodes a client reports in Package 1 (DM_StdObj "DevInfo"; DM_Protocol §8.3 item 3). */
export const DEVINFO_NODES = ['DevId', 'Man', 'Mod', 'DmV', 'Lang'] as const;
export type DevInfoNode = (typeof DEVINFO_NODES)[number];
export const DEVINFO_ROOT = './DevInfo';

/** DMAcc AAuthLevel values (DM_StdObj): CLCRED = client's own, SRVCRED = the server's. */
export const AAUTH_LEVELS = { CLIENT_CREDENTIALS: 'CLCRED', SERVER_CREDENTIALS: 'SRVCRED' } as const;
