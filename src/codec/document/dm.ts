/**
 * DM profile document: a SyncML DM 1.2 message whose Add (CmdID 1 — Android's engine
 * rejects anything else) targets ./Inbox and carries a TNDS MgmtTree of one DMAcc object
 * (CyanogenMod OMA-DM engine dmBootstrapSession.cc; DMAcc nodes per OMA-TS-DM_StdObj-V1_2;
 * test/vectors/documents/example-c.xml). ACL on the account node grants the ServerID Get,
 * Replace and Delete: "any ACL values that are to be set for these objects MUST be
 * included in the TNDS data as ACL property data" [OMA DM Bootstrap, DM profile].
 *
 * Every node carries RTProperties Format and Type: OMA-TS-DM_TND §9.2.1 (supported properties
 * in a TNDS file) marks Type "Encode: MUST" (and Format MUST for decoders). Type is the MIME
 * type of a leaf's value (text/plain for every DMAcc leaf, AAuthData included, as the DMAcc
 * DDF gives them) and, for an interior node, DDFName: the MO identifier on the node that roots
 * the DMAcc object (urn:oma:mo:oma-dm-dmacc:1.0 — Android re-roots that node under ./DMAcc),
 * empty on the other interior nodes, as the DMAcc DDF writes `<DFType><DDFName/></DFType>`.
 */
import { SYNCML12_FPI, SYNCML12_NAMESPACE, SYNCML12_SYSTEM_ID } from '../wbxml/tables/syncml12.js';
import { METINF12_NAMESPACE } from '../wbxml/tables/metinf12.js';
import { DMDDF12_NAMESPACE } from '../wbxml/tables/dmddf12.js';
import { el, type XmlDocument, type XmlElement, type XmlNode } from '../wbxml/tree.js';
import { invalid, port, TNDS_ENCODINGS, text, type DmAuth, type DmBootstrapModel, type TndsEncoding } from './model.js';
import { tndsData, TNDS_META } from './tnds.js';

export const DMACC_DDF_NAME = 'urn:oma:mo:oma-dm-dmacc:1.0';
/** MIME type of every DMAcc leaf value (DMAcc DDF: `<DFType><MIME>text/plain</MIME></DFType>`). */
export const LEAF_MIME = 'text/plain';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const t = (name: string, value: string) => el(name, {}, value);

/** RTProperties in the TND DTD's order: ACL?, Format, Type. */
function props(format: 'node' | 'chr' | 'bin', type: XmlElement, acl?: string): XmlElement {
  return el('RTProperties', {}, acl === undefined ? undefined : t('ACL', acl), el('Format', {}, el(format)), type);
}

function leaf(name: string, value: string | undefined, format: 'chr' | 'bin' = 'chr'): XmlElement | undefined {
  if (value === undefined) return undefined;
  return el('Node', {}, t('NodeName', name), props(format, el('Type', {}, t('MIME', LEAF_MIME))), t('Value', value));
}

/** An interior node: Type is DDFName, the MO identifier on an MO root and empty elsewhere. */
function interior(name: string, ...kids: (XmlElement | undefined)[]): XmlElement {
  return el('Node', {}, t('NodeName', name), props('node', el('Type', {}, el('DDFName'))), ...kids);
}

function appAuth(n: string, level: 'CLCRED' | 'SRVCRED', a: DmAuth, f: string): XmlElement {
  const data = text(`${f}.data`, a.data);
  if (data !== undefined && !BASE64.test(data))
    throw invalid(`${f}.data`, 'AAuthData has format bin: give base64 text');
  return interior(
    n,
    leaf('AAuthLevel', level),
    leaf('AAuthType', text(`${f}.type`, a.type, true)),
    leaf('AAuthName', text(`${f}.name`, a.name)),
    leaf('AAuthSecret', text(`${f}.secret`, a.secret)),
    leaf('AAuthData', data, 'bin'),
  );
}

function dmacc(m: DmBootstrapModel, serverId: string): XmlElement {
  const node = text('accountNode', m.accountNode) ?? (serverId.replace(/[^A-Za-z0-9]/g, '') || 'DMAcc');
  if (node.includes('/')) throw invalid('accountNode', 'a node name cannot contain "/"');
  const p = port('port', m.port);
  const acl = `Get=${serverId}&Replace=${serverId}&Delete=${serverId}`;
  return el(
    'Node',
    {},
    t('NodeName', node),
    props('node', el('Type', {}, t('DDFName', DMACC_DDF_NAME)), acl),
    leaf('AppID', 'w7'),
    leaf('ServerID', serverId),
    leaf('Name', text('name', m.name)),
    leaf('PrefConRef', text('prefConRef', m.prefConRef)),
    interior(
      'AppAddr',
      interior(
        '1',
        leaf('Addr', text('addr', m.addr, true)),
        leaf('AddrType', text('addrType', m.addrType) ?? 'URI'),
        p === undefined ? undefined : interior('Port', interior('1', leaf('PortNbr', p))),
      ),
    ),
    leaf('AAuthPref', text('aauthPref', m.aauthPref)),
    interior(
      'AppAuth',
      appAuth('1', 'CLCRED', m.clientAuth, 'clientAuth'),
      appAuth('2', 'SRVCRED', m.serverAuth, 'serverAuth'),
    ),
  );
}

function encoding(m: DmBootstrapModel): TndsEncoding {
  const e = m.tnds ?? 'inline';
  if (!TNDS_ENCODINGS.includes(e)) throw invalid('tnds', `${String(e)} is not one of ${TNDS_ENCODINGS.join(', ')}`);
  return e;
}

function item(tnds: TndsEncoding, data: XmlNode): XmlElement {
  const [format, type] = TNDS_META[tnds];
  const meta = el(
    'Meta',
    {},
    el('Format', { xmlns: METINF12_NAMESPACE }, format),
    el('Type', { xmlns: METINF12_NAMESPACE }, type),
  );
  return el('Item', {}, el('Target', {}, t('LocURI', './Inbox')), meta, el('Data', {}, data));
}

export function dmDocument(m: DmBootstrapModel): XmlDocument {
  const serverId = text('serverId', m.serverId, true)!;
  if (/[&=]/.test(serverId)) throw invalid('serverId', 'cannot contain "&" or "=" (ACL syntax)');
  if (!m.clientAuth || !m.serverAuth) throw invalid('clientAuth', 'clientAuth and serverAuth are required');
  const tnds = encoding(m);
  const tree = el('MgmtTree', { xmlns: DMDDF12_NAMESPACE }, t('VerDTD', '1.2'), dmacc(m, serverId));
  const root = el(
    'SyncML',
    { xmlns: SYNCML12_NAMESPACE },
    el(
      'SyncHdr',
      {},
      t('VerDTD', '1.2'),
      t('VerProto', 'DM/1.2'),
      t('SessionID', '0'),
      t('MsgID', '0'),
      el('Target', {}, t('LocURI', text('deviceId', m.deviceId, true)!)),
      el('Source', {}, t('LocURI', serverId)),
    ),
    el('SyncBody', {}, el('Add', {}, t('CmdID', '1'), item(tnds, tndsData(tnds, tree))), el('Final')),
  );
  return { root, publicId: SYNCML12_FPI, systemId: SYNCML12_SYSTEM_ID };
}
