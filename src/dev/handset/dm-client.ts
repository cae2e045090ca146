import {
  accountAuthType,
  accountUrl,
  AUTH_TYPES,
  authTypeOf,
  credentialFor,
  DM_MEDIA_TYPES,
  encodeDmMessage,
  formatHmacHeader,
  HMAC_HEADER,
  headerStatus,
  nonceBytes,
  package1,
  readDmMessage,
  STATUS_CODES,
  type AuthType,
  type DevInfo,
  type DmMessage,
} from '../../codec/dm-session/index.js';
import { isBootlineError } from '../../errors.js';
import type { StoredAccount } from './phone.js';
import { serverAuthenticated } from './server-auth.js';

export type SessionResult =
  | { readonly outcome: 'authenticated'; readonly status: number; readonly serverUrl: string }
  | {
      readonly outcome: 'auth-failed' | 'server-not-authenticated' | 'unreachable' | 'protocol-error';
      readonly status?: number;
      readonly reason: string;
      readonly serverUrl: string;
    };

export interface SessionOptions {
  readonly stored: StoredAccount;
  readonly devInfo: DevInfo;
  readonly sessionId: string;
  /** The account's address → the URL actually used (the handset's test DNS). */
  readonly resolve: (url: string) => string;
  readonly wrongSecret?: boolean;
  readonly timeoutMs?: number;
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`the DM server answered HTTP ${status}`);
  }
}

interface Exchange {
  readonly sent: DmMessage;
  readonly reply: DmMessage;
  readonly replyBody: Uint8Array;
  readonly replyHmac: string | undefined;
}

/**
 * A DM client's setup phase (OMA-TS-DM_Protocol-V1_2 §8.3–8.4, §9): Package 1 with the
 * credentials the account prefers, over HTTP POST in WBXML; on 401/407 with a Chal it
 * "MUST revert to pkg 1" once with the challenged type and nonce; on 212 it checks the
 * server's own credentials (SRVCRED) before it trusts the session, and keeps the NextNonce
 * for the next session. A Package 2 with only statuses ends the session: nothing more is sent.
 */
export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const serverUrl = accountUrl(o.stored.account);
  let type = accountAuthType(o.stored.account);
  if (!type)
    return { outcome: 'protocol-error', reason: `no supported AAuthPref (${o.stored.account.aauthPref})`, serverUrl };
  let nonce = o.stored.clientNonce;
  let answering: DmMessage | undefined;
  for (let msgId = 1; msgId <= 2; msgId++) {
    let x: Exchange;
    try {
      x = await exchange(o, serverUrl, type, nonce, String(msgId), answering);
    } catch (err) {
      const protocol = isBootlineError(err) || err instanceof HttpStatusError;
      return { outcome: protocol ? 'protocol-error' : 'unreachable', reason: (err as Error).message, serverUrl };
    }
    const st = headerStatus(x.reply);
    const status = Number(st?.data);
    if (status === STATUS_CODES.AUTHENTICATION_ACCEPTED || status === STATUS_CODES.OK) {
      const why = serverAuthenticated(o.stored, type, x.reply, x.replyBody, x.replyHmac);
      if (why) return { outcome: 'server-not-authenticated', status, reason: why, serverUrl };
      if (st?.chal?.nextNonce) o.stored.clientNonce = st.chal.nextNonce;
      return { outcome: 'authenticated', status, serverUrl };
    }
    const challenged = status === STATUS_CODES.UNAUTHORIZED || status === STATUS_CODES.AUTHENTICATION_REQUIRED;
    if (!challenged) return { outcome: 'protocol-error', status, reason: `SyncHdr status ${st?.data}`, serverUrl };
    if (msgId === 2 || !st?.chal)
      return { outcome: 'auth-failed', status, reason: `the DM server answered ${status}`, serverUrl };
    // DM_Security §5.1.3.4: use the latest nonce, even from a server not yet authenticated.
    type = authTypeOf(st.chal.type) ?? type;
    nonce = st.chal.nextNonce ?? nonce;
    answering = x.reply;
  }
  return { outcome: 'protocol-error', reason: 'unreachable', serverUrl };
}

async function exchange(
  o: SessionOptions,
  serverUrl: string,
  type: AuthType,
  nonce: string,
  msgId: string,
  answering: DmMessage | undefined,
): Promise<Exchange> {
  const c = o.stored.account.client;
  const name = c.name ?? '';
  const secret = { name, secret: o.wrongSecret ? `${c.secret ?? ''}-not` : (c.secret ?? ''), nonce: nonceBytes(nonce) };
  const mac = type === AUTH_TYPES.MAC;
  const cred = mac ? undefined : { type, data: credentialFor(type, secret, new Uint8Array()) };
  const sent = package1({
    sessionId: o.sessionId,
    msgId,
    serverUri: serverUrl,
    devInfo: o.devInfo,
    clientName: name,
    maxMsgSize: 10_000,
    ...(cred ? { cred } : {}),
    ...(answering ? { answering } : {}),
  });
  const body = encodeDmMessage(sent);
  const headers: Record<string, string> = { 'content-type': DM_MEDIA_TYPES.WBXML, accept: DM_MEDIA_TYPES.WBXML };
  if (mac) headers[HMAC_HEADER] = formatHmacHeader({ username: name, mac: credentialFor(type, secret, body) });
  const res = await fetch(o.resolve(serverUrl), {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
  });
  const replyBody = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) throw new HttpStatusError(res.status);
  const reply = readDmMessage(replyBody, res.headers.get('content-type')?.includes('+xml') ? 'xml' : 'wbxml');
  return { sent, reply, replyBody, replyHmac: res.headers.get(HMAC_HEADER) ?? undefined };
}
