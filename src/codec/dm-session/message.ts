/**
 * A SyncML DM 1.2 message as data, and its tree in the order the SyncML RepPro 1.2 DTD fixes:
 * SyncHdr (VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI?, Cred?, Meta?), then
 * SyncBody commands and Final. MetInf elements carry xmlns="syncml:metinf", which puts them
 * on WBXML code page 1 (SyncML 1.2 WBXML: page 0 SyncML, page 1 MetInf).
 */
import { METINF12_NAMESPACE } from '../wbxml/tables/metinf12.js';
import { SYNCML12_FPI, SYNCML12_NAMESPACE, SYNCML12_SYSTEM_ID } from '../wbxml/tables/syncml12.js';
import { el, type XmlDocument, type XmlElement } from '../wbxml/tree.js';
import { FORMAT_B64, VER_DTD, VER_PROTO } from './tables.js';

export interface DmCred {
  /** Meta/Type, e.g. syncml:auth-md5. */
  readonly type: string;
  readonly format?: string;
  readonly data: string;
}
export interface DmChal {
  readonly type: string;
  readonly format?: string;
  /** Base64 text of the nonce the other side must use next. */
  readonly nextNonce?: string;
}
export interface DmHeader {
  readonly sessionId: string;
  readonly msgId: string;
  readonly target: string;
  readonly source: string;
  /** Source/LocName: the user name a digest or HMAC is computed for. */
  readonly sourceName?: string;
  readonly respUri?: string;
  readonly cred?: DmCred;
  readonly maxMsgSize?: number;
}
export interface DmItem {
  readonly target?: string;
  readonly source?: string;
  readonly format?: string;
  readonly type?: string;
  readonly data?: string;
}
export type DmCommand =
  | { readonly kind: 'Alert'; readonly cmdId: string; readonly data: string }
  | { readonly kind: 'Replace'; readonly cmdId: string; readonly items: readonly DmItem[] }
  | {
      readonly kind: 'Status';
      readonly cmdId: string;
      readonly msgRef: string;
      readonly cmdRef: string;
      readonly cmd: string;
      readonly targetRef?: string;
      readonly sourceRef?: string;
      readonly chal?: DmChal;
      readonly data: string;
    }
  /** A command this model does not interpret (parse side only). */
  | { readonly kind: 'Other'; readonly name: string; readonly cmdId: string };

export interface DmMessage {
  readonly header: DmHeader;
  readonly commands: readonly DmCommand[];
  readonly final: boolean;
}

const t = (name: string, value: string | undefined) => (value === undefined ? undefined : el(name, {}, value));
const metinf = (name: string, value: string | undefined) =>
  value === undefined ? undefined : el(name, { xmlns: METINF12_NAMESPACE }, value);
const loc = (name: string, uri: string, locName?: string) => el(name, {}, t('LocURI', uri), t('LocName', locName));

function header(h: DmHeader): XmlElement {
  return el(
    'SyncHdr',
    {},
    t('VerDTD', VER_DTD),
    t('VerProto', VER_PROTO),
    t('SessionID', h.sessionId),
    t('MsgID', h.msgId),
    loc('Target', h.target),
    loc('Source', h.source, h.sourceName),
    t('RespURI', h.respUri),
    h.cred &&
      el(
        'Cred',
        {},
        el('Meta', {}, metinf('Type', h.cred.type), metinf('Format', h.cred.format ?? FORMAT_B64)),
        t('Data', h.cred.data),
      ),
    h.maxMsgSize !== undefined && el('Meta', {}, metinf('MaxMsgSize', String(h.maxMsgSize))),
  );
}

function item(i: DmItem): XmlElement {
  const meta = i.format !== undefined || i.type !== undefined;
  return el(
    'Item',
    {},
    i.target !== undefined && loc('Target', i.target),
    i.source !== undefined && loc('Source', i.source),
    meta && el('Meta', {}, metinf('Format', i.format), metinf('Type', i.type)),
    t('Data', i.data),
  );
}

function command(c: DmCommand): XmlElement {
  switch (c.kind) {
    case 'Alert':
      return el('Alert', {}, t('CmdID', c.cmdId), t('Data', c.data));
    case 'Replace':
      return el('Replace', {}, t('CmdID', c.cmdId), ...c.items.map(item));
    case 'Status': {
      const chal =
        c.chal &&
        el(
          'Chal',
          {},
          el(
            'Meta',
            {},
            metinf('Type', c.chal.type),
            metinf('Format', c.chal.format ?? FORMAT_B64),
            metinf('NextNonce', c.chal.nextNonce),
          ),
        );
      const { cmdId, msgRef, cmdRef, cmd, targetRef, sourceRef, data } = c;
      return el(
        'Status',
        {},
        ...[t('CmdID', cmdId), t('MsgRef', msgRef), t('CmdRef', cmdRef), t('Cmd', cmd)],
        ...[t('TargetRef', targetRef), t('SourceRef', sourceRef), chal, t('Data', data)],
      );
    }
    case 'Other':
      return el(c.name, {}, t('CmdID', c.cmdId));
  }
}

export function dmMessageDocument(m: DmMessage): XmlDocument {
  const root = el(
    'SyncML',
    { xmlns: SYNCML12_NAMESPACE },
    header(m.header),
    el('SyncBody', {}, ...m.commands.map(command), m.final && el('Final')),
  );
  return { root, publicId: SYNCML12_FPI, systemId: SYNCML12_SYSTEM_ID };
}
