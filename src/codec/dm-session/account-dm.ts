/**
 * DM profile: the Add (CmdID 1, as AOSP's dmBootstrapSession requires) of a TNDS MgmtTree to
 * ./Inbox; the account is the Node whose RTProperties/Type/DDFName names the DMAcc MO
 * (`urn:oma:mo:oma-dm-dmacc:1.0`, or the DM 1.1 `org.openmobilealliance/1.0/w7`). The TNDS may
 * be inline (code page 2), nested WBXML in OPAQUE (the decoder returns its root), or XML text.
 */
import { parseXml } from '../wbxml/xml-parse.js';
import type { XmlElement } from '../wbxml/tree.js';
import { accountInvalid, type AccountCredentials, type DmAccount } from './account-model.js';
import { child, children, textOf } from './parse.js';
import { AAUTH_LEVELS } from './tables.js';

const DMACC_DDF_NAMES = ['urn:oma:mo:oma-dm-dmacc:1.0', 'org.openmobilealliance/1.0/w7'];

const text = (e: XmlElement | undefined, ...path: string[]) => textOf(path.reduce(child, e))?.trim();
const nodes = (e: XmlElement | undefined) => children(e, 'Node');
const named = (e: XmlElement | undefined, name: string) => nodes(e).find((n) => text(n, 'NodeName') === name);

/** The value of the leaf at a NodeName path below `n` (`*` = the first child, whatever its name). */
function leaf(n: XmlElement | undefined, ...path: string[]): string | undefined {
  const end = path.reduce<XmlElement | undefined>((e, p) => (p === '*' ? nodes(e)[0] : named(e, p)), n);
  return text(end, 'Value');
}

function mgmtTree(data: XmlElement | undefined): XmlElement | undefined {
  const tree = child(data, 'MgmtTree');
  if (tree) return tree;
  const xml = textOf(data)?.trim();
  if (!xml?.startsWith('<')) return undefined;
  const root = parseXml(xml).root;
  return root.name === 'MgmtTree' ? root : undefined;
}

function findDmAcc(e: XmlElement): XmlElement | undefined {
  for (const n of nodes(e)) {
    if (DMACC_DDF_NAMES.includes(text(n, 'RTProperties', 'Type', 'DDFName') ?? '')) return n;
    const inner = findDmAcc(n);
    if (inner) return inner;
  }
  return undefined;
}

function credentials(acc: XmlElement, level: string): AccountCredentials {
  const a = nodes(named(acc, 'AppAuth')).find((n) => leaf(n, 'AAuthLevel') === level);
  if (!a) throw accountInvalid(`no AppAuth with AAuthLevel ${level}`, 'AppAuth');
  const out: Record<string, string> = {};
  for (const [k, node] of [
    ['type', 'AAuthType'],
    ['name', 'AAuthName'],
    ['secret', 'AAuthSecret'],
    ['data', 'AAuthData'],
  ] as const) {
    const v = leaf(a, node);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function dmAccNode(root: XmlElement): XmlElement {
  const add = children(child(root, 'SyncBody'), 'Add').find((a) => text(a, 'CmdID') === '1');
  if (!add) throw accountInvalid('the bootstrap has no Add with CmdID 1', 'Add');
  for (const item of children(add, 'Item')) {
    const tree = mgmtTree(child(item, 'Data'));
    const acc = tree && findDmAcc(tree);
    if (acc) return acc;
  }
  throw accountInvalid('no DMAcc node (DDFName urn:oma:mo:oma-dm-dmacc:1.0) in the TNDS', 'MgmtTree');
}

export function dmAccount(root: XmlElement): DmAccount {
  const acc = dmAccNode(root);
  const serverId = leaf(acc, 'ServerID') ?? leaf(acc, 'ServerId');
  if (!serverId) throw accountInvalid('ServerID is required', 'ServerID');
  const addr = leaf(acc, 'AppAddr', '*', 'Addr');
  if (!addr) throw accountInvalid('AppAddr/<x>/Addr is required', 'Addr');
  const portText = leaf(acc, 'AppAddr', '*', 'Port', '*', 'PortNbr');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw accountInvalid(`${portText} is not a port number`, 'PortNbr');
  const opt = (k: string, v: string | number | undefined) => (v === undefined ? {} : { [k]: v });
  const deviceId = text(child(root, 'SyncHdr'), 'Target', 'LocURI');
  return {
    profile: 'dm',
    serverId,
    ...opt('name', leaf(acc, 'Name')),
    addr,
    ...opt('addrType', leaf(acc, 'AppAddr', '*', 'AddrType')),
    ...opt('port', port),
    ...opt('aauthPref', leaf(acc, 'AAuthPref')),
    client: credentials(acc, AAUTH_LEVELS.CLIENT_CREDENTIALS),
    server: credentials(acc, AAUTH_LEVELS.SERVER_CREDENTIALS),
    ...opt('deviceId', deviceId),
  };
}
