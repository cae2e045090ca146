import type { IncomingMessage } from 'node:http';
import {
  DM_MEDIA_TYPES,
  encodingOf,
  HMAC_HEADER,
  mediaTypeOf,
  readDmMessage,
  type DmMessage,
} from '../../codec/dm-session/index.js';
import { isBootlineError } from '../../errors.js';
import type { AuthFailureCause } from './authenticate.js';
import type { SessionAnswer, SessionAuthority } from './sessions.js';

/** One session package the stand-in answered (tests and logs read these). */
export interface SessionRecord {
  readonly at: string;
  /** The SyncML status given to the client's SyncHdr (212, 401, 407), or the HTTP status of a refusal. */
  readonly status: number;
  readonly clientName?: string;
  readonly cause?: AuthFailureCause | 'not-a-dm-message';
  /** The SyncHdr Target the client addressed (the server URI in its account). */
  readonly target?: string;
  readonly sessionId?: string;
}

export interface EndpointAnswer {
  readonly record: SessionRecord;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly reply: Uint8Array | string;
  readonly outcome?: SessionAnswer['outcome'];
}

const json = (at: string, status: number, error: string): EndpointAnswer => ({
  record: { at, status, cause: 'not-a-dm-message' },
  status,
  headers: { 'content-type': 'application/json' },
  reply: JSON.stringify({ error }),
});

/**
 * HTTP binding of a DM session (OMA-TS-SyncML_HTTPBinding: POST, the DM media type both ways, the
 * auth-MAC header on request and response). A body that is not a DM message gets an HTTP
 * error: there is no SyncHdr to answer with a Status.
 */
export function answerSession(authority: SessionAuthority, req: IncomingMessage, body: Buffer): EndpointAnswer {
  const at = new Date().toISOString();
  const encoding = encodingOf(req.headers['content-type']);
  if (!encoding) return json(at, 415, `send ${DM_MEDIA_TYPES.WBXML} or ${DM_MEDIA_TYPES.XML}`);
  let msg: DmMessage;
  try {
    msg = readDmMessage(body, encoding);
  } catch (err) {
    if (!isBootlineError(err)) throw err;
    return json(at, 400, err.message);
  }
  const hmac = req.headers[HMAC_HEADER];
  const a = authority.answer(msg, body, Array.isArray(hmac) ? hmac[0] : hmac, encoding);
  return {
    record: {
      at,
      status: a.status,
      clientName: a.clientName,
      ...(a.cause ? { cause: a.cause } : {}),
      target: msg.header.target,
      sessionId: msg.header.sessionId,
    },
    status: 200,
    headers: { 'content-type': mediaTypeOf(encoding), ...a.headers },
    reply: a.body,
    ...(a.outcome ? { outcome: a.outcome } : {}),
  };
}
