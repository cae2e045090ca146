/**
 * The receiving side of a Bootstrap Message: its document → the DM account a client stores
 * (OMA-TS-DM_StdObj-V1_2 DMAcc). The CP profile maps w7 as OMA DM Bootstrap §5.2 says
 * (PROVIDER-ID → ServerID, ADDR or APPADDR/ADDR → AppAddr/<x>/Addr, APPAUTH APPSRV → CLCRED,
 * CLIENT → SRVCRED); the DM profile reads the DMAcc node of the TNDS MgmtTree the Add carries.
 */
import type { XmlDocument } from '../wbxml/tree.js';
import { cpAccount } from './account-cp.js';
import { dmAccount } from './account-dm.js';
import { accountInvalid, type DmAccount } from './account-model.js';
export type { AccountCredentials, DmAccount } from './account-model.js';
import { AUTH_TYPE_BY_AAUTHTYPE, type AuthType } from './tables.js';

/** Reads a decoded Bootstrap Message document of either profile. */
export function accountFromBootstrap(doc: XmlDocument): DmAccount {
  if (doc.root.name === 'wap-provisioningdoc') return cpAccount(doc.root);
  if (doc.root.name === 'SyncML') return dmAccount(doc.root);
  throw accountInvalid(`<${doc.root.name}> is neither a wap-provisioningdoc nor a SyncML message`, 'root');
}

/** The SyncML authentication the account asks the client to use; undefined when none is supported. */
export function accountAuthType(a: DmAccount): AuthType | undefined {
  const pref = (a.aauthPref ?? a.client.type)?.trim().toUpperCase();
  return pref === undefined ? undefined : AUTH_TYPE_BY_AAUTHTYPE[pref];
}

/** The URL a client connects to: Addr, with PortNbr when the account gives one (AddrType URI). */
export function accountUrl(a: DmAccount): string {
  if (a.port === undefined || (a.addrType && a.addrType.toUpperCase() !== 'URI')) return a.addr;
  try {
    const u = new URL(a.addr);
    u.port = String(a.port);
    return u.toString();
  } catch {
    return a.addr;
  }
}
