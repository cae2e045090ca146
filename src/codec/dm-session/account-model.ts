/** The DM account a client builds from a Bootstrap Message (OMA-TS-DM_StdObj-V1_2 DMAcc). */
import { BootlineError } from '../../errors.js';

export interface AccountCredentials {
  /** AAuthType / AAUTHTYPE, e.g. DIGEST, HMAC, BASIC. */
  readonly type?: string;
  readonly name?: string;
  readonly secret?: string;
  /** AAuthData: base64 text of the nonce. */
  readonly data?: string;
}

export interface DmAccount {
  readonly profile: 'cp' | 'dm';
  readonly serverId: string;
  readonly name?: string;
  readonly addr: string;
  readonly addrType?: string;
  readonly port?: number;
  /** AAuthPref; for CP (w7 has no such parameter) the AAUTHTYPE of the APPSRV credentials. */
  readonly aauthPref?: string;
  /** CLCRED (CP: AAUTHLEVEL APPSRV): what the client presents. */
  readonly client: AccountCredentials;
  /** SRVCRED (CP: AAUTHLEVEL CLIENT): what the server must present. */
  readonly server: AccountCredentials;
  /** DM profile: the SyncHdr Target the bootstrap was addressed to. */
  readonly deviceId?: string;
}

export function accountInvalid(message: string, field: string): BootlineError {
  return new BootlineError('DOCUMENT_INVALID', `${field}: ${message}`, { field });
}
