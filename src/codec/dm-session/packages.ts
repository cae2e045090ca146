/**
 * The two packages of a DM session's setup phase (OMA-TS-DM_Protocol-V1_2 §8.3, §8.4):
 *
 *  Package 1, client → server: SyncHdr (SessionID, MsgID, Target = server, Source = device id,
 *    LocName = user name, Cred), Alert CLIENT-INITIATED MGMT (1201), Replace of ./DevInfo, Final.
 *    After a challenge the client "MUST revert to pkg 1 and MUST resend the Alert and DevInfo"
 *    with the credentials asked for, plus a Status for the server's SyncHdr (§9 "Authentication").
 *  Package 2, server → client: its own Cred, a Status for the SyncHdr (212 accepted, 401/407 with
 *    a Chal) and one per command received, Final. A Package 2 with no command and no challenge
 *    ends the session (§8).
 */
import type { DmChal, DmCommand, DmCred, DmMessage } from './message.js';
import { ALERT_CODES, DEVINFO_NODES, DEVINFO_ROOT, STATUS_CODES, type DevInfoNode } from './tables.js';

export type DevInfo = Readonly<Record<DevInfoNode, string>>;

export interface Package1Input {
  readonly sessionId: string;
  readonly msgId: string;
  /** The server's address (SyncHdr Target). */
  readonly serverUri: string;
  /** ./DevInfo/DevId, e.g. IMEI:…, also the SyncHdr Source. */
  readonly devInfo: DevInfo;
  readonly clientName: string;
  /** Absent for syncml:auth-MAC, which travels in the x-syncml-hmac header. */
  readonly cred?: DmCred;
  readonly maxMsgSize?: number;
  /** When answering a challenge: the server message being answered. */
  readonly answering?: DmMessage;
}

/** The Status answering a message's SyncHdr (CmdRef 0), with a challenge when the status asks for one. */
function syncHdrStatus(m: DmMessage, cmdId: string, status: number, chal?: DmChal): DmCommand {
  const h = m.header;
  return {
    kind: 'Status',
    cmdId,
    msgRef: h.msgId,
    cmdRef: '0',
    cmd: 'SyncHdr',
    targetRef: h.target,
    sourceRef: h.source,
    ...(chal ? { chal } : {}),
    data: String(status),
  };
}

export function package1(i: Package1Input): DmMessage {
  let id = 0;
  const next = () => String(++id);
  const commands: DmCommand[] = [];
  if (i.answering) {
    commands.push(syncHdrStatus(i.answering, next(), STATUS_CODES.OK));
  }
  commands.push({ kind: 'Alert', cmdId: next(), data: ALERT_CODES.CLIENT_INITIATED_MGMT });
  commands.push({
    kind: 'Replace',
    cmdId: next(),
    items: DEVINFO_NODES.map((n) => ({ source: `${DEVINFO_ROOT}/${n}`, data: i.devInfo[n] })),
  });
  return {
    header: {
      sessionId: i.sessionId,
      msgId: i.msgId,
      target: i.serverUri,
      source: i.devInfo.DevId,
      sourceName: i.clientName,
      ...(i.cred ? { cred: i.cred } : {}),
      ...(i.maxMsgSize ? { maxMsgSize: i.maxMsgSize } : {}),
    },
    commands,
    final: true,
  };
}

export interface Package2Input {
  /** The client's message this answers. */
  readonly request: DmMessage;
  readonly msgId: string;
  /** 212 when the client authenticated, 401 / 407 when not. */
  readonly status: number;
  readonly chal?: DmChal;
  /** The server's own credentials (absent for auth-MAC and when refusing). */
  readonly cred?: DmCred;
}

/** Package 2: statuses only (no management command), so an accepted session ends here. */
export function package2(i: Package2Input): DmMessage {
  const h = i.request.header;
  let id = 0;
  const next = () => String(++id);
  const accepted = i.status === STATUS_CODES.AUTHENTICATION_ACCEPTED || i.status === STATUS_CODES.OK;
  const commands: DmCommand[] = [syncHdrStatus(i.request, next(), i.status, i.chal)];
  // "A Status command MUST be provided for every command received" — failed authentication too.
  for (const c of i.request.commands) {
    if (c.kind === 'Status') continue;
    const cmd = c.kind === 'Other' ? c.name : c.kind;
    const code = accepted ? STATUS_CODES.OK : i.status;
    commands.push({ kind: 'Status', cmdId: next(), msgRef: h.msgId, cmdRef: c.cmdId, cmd, data: String(code) });
  }
  return {
    header: {
      sessionId: h.sessionId,
      msgId: i.msgId,
      target: h.source,
      source: h.target,
      ...(i.cred ? { cred: i.cred } : {}),
    },
    commands,
    final: true,
  };
}

/** The Status a message gives the other side's SyncHdr, if any. */
export function headerStatus(m: DmMessage): Extract<DmCommand, { kind: 'Status' }> | undefined {
  return m.commands.find((c) => c.kind === 'Status' && c.cmd === 'SyncHdr' && c.cmdRef === '0') as
    | Extract<DmCommand, { kind: 'Status' }>
    | undefined;
}

/** The DevInfo a Package 1 reports (node name → value), from its Replace items. */
export function devInfoOf(m: DmMessage): Partial<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of m.commands)
    if (c.kind === 'Replace')
      for (const it of c.items)
        if (it.source?.startsWith(`${DEVINFO_ROOT}/`) && it.data !== undefined)
          out[it.source.slice(DEVINFO_ROOT.length + 1)] = it.data;
  return out;
}
