/** The typed models a Bootstrap Message is built from (CONTRACT.md), and their checks. */
import { BootlineError } from '../../errors.js';
import { forbiddenCharAt, forbiddenInField } from '../wbxml/xml-chars.js';

export interface AppAuth {
  /** APPSRV = credentials the client presents to the server; CLIENT = the server's own (Microsoft's w7
   * APPLICATION CSP; the same split as AAuthLevel CLCRED / SRVCRED in OMA-TS-DM_StdObj-V1_2 DMAcc). */
  readonly level: 'APPSRV' | 'CLIENT' | 'OBEX';
  /** AAUTHTYPE, e.g. DIGEST, BASIC, HMAC, HTTP-DIGEST — written as an inline string: its value tokens
   * differ between ProvCont 1.1 (2002: 0x80–0x83), libwbxml and Kannel (0x90–0x93) and Wireshark (none). */
  readonly type: string;
  readonly name?: string;
  readonly secret?: string;
  /** AAUTHDATA, conventionally base64 text (a nonce). */
  readonly data?: string;
}

export interface NapDef {
  readonly napId: string;
  readonly name?: string;
  /** BEARER, e.g. GSM-GPRS. */
  readonly bearer?: string;
  /** NAP-ADDRESS, e.g. the APN. */
  readonly address: string;
  /** NAP-ADDRTYPE; defaults to APN. */
  readonly addressType?: string;
  readonly auth?: { readonly type: string; readonly name?: string; readonly secret?: string };
}

export interface PxLogical {
  readonly proxyId: string;
  readonly name?: string;
  readonly physical: {
    readonly physicalProxyId: string;
    readonly address: string;
    /** PXADDRTYPE; defaults to IPV4. */
    readonly addressType?: string;
    readonly toNapId: string;
    readonly port?: number;
  };
}

export interface CpBootstrapModel {
  readonly providerId: string;
  readonly name?: string;
  /** Direct ADDR form (MSDN). Exactly one of addr / appAddr. */
  readonly addr?: string;
  /** APPADDR form (Intel cpclient): ADDR, ADDRTYPE, PORT/PORTNBR. */
  readonly appAddr?: { readonly addr: string; readonly addrType?: string; readonly port?: number };
  readonly toNapId?: string;
  readonly toProxy?: string;
  readonly appAuth: readonly AppAuth[];
  readonly napdef?: NapDef;
  readonly pxlogical?: PxLogical;
  /** wap-provisioningdoc@version; defaults to 1.1 ("1.0" encodes as one token). */
  readonly version?: string;
}

export interface DmAuth {
  /** AAuthType, e.g. DIGEST, BASIC, HMAC. */
  readonly type: string;
  readonly name?: string;
  readonly secret?: string;
  /** AAuthData (format bin): base64 text. */
  readonly data?: string;
}

export interface DmBootstrapModel {
  /** SyncHdr Target, e.g. IMEI:490154203237518. */
  readonly deviceId: string;
  /** DMAcc ServerID and SyncHdr Source. */
  readonly serverId: string;
  readonly name?: string;
  readonly addr: string;
  /** URI (default), IPv4 or IPv6. */
  readonly addrType?: string;
  readonly port?: number;
  readonly prefConRef?: string;
  readonly aauthPref?: string;
  readonly clientAuth: DmAuth;
  readonly serverAuth: DmAuth;
  /** Name of the DMAcc interior node <x>; defaults to the ServerID without punctuation. */
  readonly accountNode?: string;
  /** How the TNDS travels in `<Data>` (see TndsEncoding); defaults to inline. */
  readonly tnds?: TndsEncoding;
}

/**
 * How the TNDS MgmtTree travels inside the Add's `<Data>`. Handsets differ (docs/reference/
 * device-profiles.md): AOSP's DM engine reads `inline` (code page 2, Meta xml/…dmtnds+xml);
 * libwbxml writes `opaque` (a nested WBXML document in OPAQUE, Meta bin/…dmtnds+wbxml);
 * Samsung's IDM client reads `xml-text` (the MgmtTree as XML text, Meta xml/…+xml) and
 * `wbxml-hex` (the nested WBXML document as hex digits, Meta bin/…+wbxml).
 */
export type TndsEncoding = 'inline' | 'opaque' | 'xml-text' | 'wbxml-hex';
export const TNDS_ENCODINGS: readonly TndsEncoding[] = ['inline', 'opaque', 'xml-text', 'wbxml-hex'];

export function invalid(field: string, message: string): BootlineError {
  return new BootlineError('DOCUMENT_INVALID', `${field}: ${message}`, { field });
}

export function text(field: string, v: string | undefined, required = false): string | undefined {
  if (v === undefined || v === '') {
    if (required) throw invalid(field, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  const bad = forbiddenCharAt(v);
  if (bad >= 0) throw forbiddenInField(field, v, bad);
  return v;
}

export function port(field: string, v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1 || v > 65535) throw invalid(field, `${String(v)} is not a port number`);
  return String(v);
}
