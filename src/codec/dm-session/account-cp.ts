/**
 * CP profile: the w7 APPLICATION characteristic of a wap-provisioningdoc (OMA-WAP-ProvCont
 * §5 characteristic/parm; w7 registration OMA-SUP-ac_w7_dm) → DM account.
 */
import { attr, isElement, type XmlElement } from '../wbxml/tree.js';
import { accountInvalid, type AccountCredentials, type DmAccount } from './account-model.js';

const characteristics = (e: XmlElement, type: string) =>
  e.children.filter((c): c is XmlElement => isElement(c) && c.name === 'characteristic' && attr(c, 'type') === type);

/** The value of the first parm `name` directly inside `e`. */
function parm(e: XmlElement | undefined, name: string): string | undefined {
  const p = e?.children.find((c): c is XmlElement => isElement(c) && c.name === 'parm' && attr(c, 'name') === name);
  return p ? attr(p, 'value') : undefined;
}

function port(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw accountInvalid(`${v} is not a port number`, field);
  return n;
}

function credentials(app: XmlElement, level: 'APPSRV' | 'CLIENT'): AccountCredentials {
  const a = characteristics(app, 'APPAUTH').find((c) => parm(c, 'AAUTHLEVEL') === level);
  if (!a) throw accountInvalid(`no APPAUTH with AAUTHLEVEL ${level}`, 'APPAUTH');
  const pick = (k: keyof AccountCredentials, parmName: string) => {
    const v = parm(a, parmName);
    return v === undefined ? {} : { [k]: v };
  };
  return {
    ...pick('type', 'AAUTHTYPE'),
    ...pick('name', 'AAUTHNAME'),
    ...pick('secret', 'AAUTHSECRET'),
    ...pick('data', 'AAUTHDATA'),
  };
}

export function cpAccount(root: XmlElement): DmAccount {
  const app = characteristics(root, 'APPLICATION').find((c) => parm(c, 'APPID') === 'w7');
  if (!app) throw accountInvalid('no APPLICATION characteristic with APPID w7', 'APPLICATION');
  const serverId = parm(app, 'PROVIDER-ID');
  if (!serverId) throw accountInvalid('PROVIDER-ID is required', 'PROVIDER-ID');
  const appAddr = characteristics(app, 'APPADDR')[0];
  const addr = parm(app, 'ADDR') ?? parm(appAddr, 'ADDR');
  if (!addr) throw accountInvalid('neither ADDR nor APPADDR/ADDR is given', 'ADDR');
  const portNbr = port(parm(appAddr && characteristics(appAddr, 'PORT')[0], 'PORTNBR'), 'PORTNBR');
  const client = credentials(app, 'APPSRV');
  const [name, addrType] = [parm(app, 'NAME'), parm(appAddr, 'ADDRTYPE')];
  return {
    profile: 'cp',
    serverId,
    ...(name !== undefined ? { name } : {}),
    addr,
    ...(addrType !== undefined ? { addrType } : {}),
    ...(portNbr !== undefined ? { port: portNbr } : {}),
    ...(client.type !== undefined ? { aauthPref: client.type } : {}),
    client,
    server: credentials(app, 'CLIENT'),
  };
}
