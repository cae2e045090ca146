/**
 * Codec tree → DmMessage: reads what a session's first exchange needs (SyncHdr with Cred,
 * Alert, Replace of DevInfo, Status with Chal) and names every other command. A message
 * without SyncHdr, SessionID, MsgID, Target or Source is refused (DM_Protocol §8.3, §8.4:
 * each MUST be present).
 */
import { BootlineError } from '../../errors.js';
import { isElement, type XmlElement } from '../wbxml/tree.js';
import type { DmChal, DmCommand, DmCred, DmHeader, DmItem, DmMessage } from './message.js';

export function dmInvalid(message: string): BootlineError {
  return new BootlineError('DM_MESSAGE_INVALID', message);
}

export function child(e: XmlElement | undefined, name: string): XmlElement | undefined {
  return e?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}
export function children(e: XmlElement | undefined, name: string): XmlElement[] {
  return (e?.children ?? []).filter((c): c is XmlElement => isElement(c) && c.name === name);
}
/** The text content of an element (concatenated strings; elements inside are ignored). */
export function textOf(e: XmlElement | undefined): string | undefined {
  if (!e) return undefined;
  return e.children.filter((c): c is string => typeof c === 'string').join('');
}
const at = (e: XmlElement | undefined, ...path: string[]) => textOf(path.reduce(child, e));

function required(e: XmlElement, what: string, ...path: string[]): string {
  const v = at(e, ...path)?.trim();
  if (!v) throw dmInvalid(`${what}: ${path.join('/')} is missing`);
  return v;
}

function cred(e: XmlElement | undefined): DmCred | undefined {
  if (!e) return undefined;
  const type = at(e, 'Meta', 'Type')?.trim() ?? 'syncml:auth-basic'; // DM_RepPro: the default Type
  const format = at(e, 'Meta', 'Format')?.trim();
  return { type, ...(format ? { format } : {}), data: at(e, 'Data')?.trim() ?? '' };
}

function chal(e: XmlElement | undefined): DmChal | undefined {
  if (!e) return undefined;
  const format = at(e, 'Meta', 'Format')?.trim();
  const nextNonce = at(e, 'Meta', 'NextNonce')?.trim();
  return {
    type: at(e, 'Meta', 'Type')?.trim() ?? 'syncml:auth-basic',
    ...(format ? { format } : {}),
    ...(nextNonce ? { nextNonce } : {}),
  };
}

function header(h: XmlElement): DmHeader {
  const what = 'SyncHdr';
  const sourceName = at(h, 'Source', 'LocName')?.trim();
  const respUri = at(h, 'RespURI')?.trim();
  const maxMsgSize = Number(at(h, 'Meta', 'MaxMsgSize'));
  const c = cred(child(h, 'Cred'));
  return {
    sessionId: required(h, what, 'SessionID'),
    msgId: required(h, what, 'MsgID'),
    target: required(h, what, 'Target', 'LocURI'),
    source: required(h, what, 'Source', 'LocURI'),
    ...(sourceName ? { sourceName } : {}),
    ...(respUri ? { respUri } : {}),
    ...(c ? { cred: c } : {}),
    ...(Number.isInteger(maxMsgSize) && maxMsgSize > 0 ? { maxMsgSize } : {}),
  };
}

function item(i: XmlElement): DmItem {
  const pick = (k: keyof DmItem, v: string | undefined) => (v === undefined ? {} : { [k]: v.trim() });
  return {
    ...pick('target', at(i, 'Target', 'LocURI')),
    ...pick('source', at(i, 'Source', 'LocURI')),
    ...pick('format', at(i, 'Meta', 'Format')),
    ...pick('type', at(i, 'Meta', 'Type')),
    ...pick('data', at(i, 'Data')),
  };
}

function command(c: XmlElement): DmCommand {
  const cmdId = required(c, c.name, 'CmdID');
  if (c.name === 'Alert') return { kind: 'Alert', cmdId, data: required(c, 'Alert', 'Data') };
  if (c.name === 'Replace') return { kind: 'Replace', cmdId, items: children(c, 'Item').map(item) };
  if (c.name !== 'Status') return { kind: 'Other', name: c.name, cmdId };
  const ch = chal(child(c, 'Chal'));
  const [targetRef, sourceRef] = [at(c, 'TargetRef')?.trim(), at(c, 'SourceRef')?.trim()];
  return {
    kind: 'Status',
    cmdId,
    msgRef: required(c, 'Status', 'MsgRef'),
    cmdRef: required(c, 'Status', 'CmdRef'),
    cmd: required(c, 'Status', 'Cmd'),
    ...(targetRef ? { targetRef } : {}),
    ...(sourceRef ? { sourceRef } : {}),
    ...(ch ? { chal: ch } : {}),
    data: required(c, 'Status', 'Data'),
  };
}

/** Reads a decoded SyncML tree; DM_MESSAGE_INVALID when it is not a DM message. */
export function dmMessageFromTree(root: XmlElement): DmMessage {
  if (root.name !== 'SyncML') throw dmInvalid(`root is <${root.name}>, not <SyncML>`);
  const h = child(root, 'SyncHdr');
  const body = child(root, 'SyncBody');
  if (!h || !body) throw dmInvalid('SyncML needs SyncHdr and SyncBody');
  const verProto = at(h, 'VerProto')?.trim();
  if (!verProto?.startsWith('DM/')) throw dmInvalid(`VerProto ${verProto ?? '(none)'} is not a DM protocol version`);
  const commands = body.children.filter(isElement).filter((e) => e.name !== 'Final');
  return { header: header(h), commands: commands.map(command), final: child(body, 'Final') !== undefined };
}
