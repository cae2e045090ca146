import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BootlineError } from '../errors.js';
import type { DmCredentials } from './credentials.js';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.js';

export interface DmRegisterTarget {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
}

/** What the DM server learns about one device: its number and both APPAUTH credential sets. */
export interface Registration {
  readonly bootstrapId: string;
  readonly msisdn: string;
  readonly serverId: string;
  readonly appAuth: ReadonlyArray<{
    AAUTHLEVEL: 'APPSRV' | 'CLIENT';
    /** DIGEST (syncml:auth-md5) is what bootline registers; HMAC (syncml:auth-MAC) and BASIC are DMAcc's others. */
    AAUTHTYPE: 'DIGEST' | 'HMAC' | 'BASIC';
    AAUTHNAME: string;
    AAUTHSECRET: string;
    AAUTHDATA: string;
  }>;
}

export function registrationFor(bootstrapId: string, msisdn: string, serverId: string, c: DmCredentials): Registration {
  return {
    bootstrapId,
    msisdn,
    serverId,
    appAuth: [
      {
        AAUTHLEVEL: 'APPSRV',
        AAUTHTYPE: 'DIGEST',
        AAUTHNAME: c.clientName,
        AAUTHSECRET: c.clientSecret,
        AAUTHDATA: c.clientNonce,
      },
      {
        AAUTHLEVEL: 'CLIENT',
        AAUTHTYPE: 'DIGEST',
        AAUTHNAME: c.serverName,
        AAUTHSECRET: c.serverSecret,
        AAUTHDATA: c.serverNonce,
      },
    ],
  };
}

/** 4xx means "this registration will never be accepted" except timeouts and rate limits. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Kept-alive connections to the DM server. node:http rather than fetch: the profile of the
 * push worker showed fetch's web-streams and AbortSignal machinery costing about
 * a fifth of a push's CPU; a plain request on a pooled socket costs a fraction of that.
 */
const AGENTS = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
};

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** The target URL parsed once per URL (one DM server; a WHATWG URL parse per push showed in the profile). */
const targets = new Map<string, { readonly u: URL; readonly tls: boolean }>();
function targetOf(url: string): { readonly u: URL; readonly tls: boolean } {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    t = { u, tls: u.protocol === 'https:' };
    targets.set(url, t);
  }
  return t;
}

function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  const { u, tls } = targetOf(url);
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(
      u,
      {
        method: 'POST',
        agent: tls ? AGENTS.https : AGENTS.http,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if ((size += c.length) <= 64 * 1024) chunks.push(c);
        }); // a reason, not a download
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * POSTs one registration, signed. Resolves on 2xx; DM_REGISTRATION_REJECTED (permanent) on
 * a refusal, with the server's reason; DM_REGISTRATION_UNAVAILABLE (retry) on 5xx, 408/429,
 * a network error or no answer within `timeoutMs` (default 5 s).
 */
export async function registerDevice(
  target: DmRegisterTarget,
  reg: Registration,
  nowS = Math.floor(Date.now() / 1000),
): Promise<void> {
  const body = JSON.stringify(reg);
  let res: Answer;
  try {
    res = await post(
      target.url,
      {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(nowS),
        [SIGNATURE_HEADER]: signBody(target.secret, nowS, body),
      },
      body,
      target.timeoutMs ?? 5_000,
    );
  } catch (err) {
    throw new BootlineError(
      'DM_REGISTRATION_UNAVAILABLE',
      `DM server unreachable: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  if (res.status >= 200 && res.status < 300) return;
  const reason = reasonOf(res.body);
  const code =
    res.status >= 500 || RETRYABLE_4XX.has(res.status) ? 'DM_REGISTRATION_UNAVAILABLE' : 'DM_REGISTRATION_REJECTED';
  throw new BootlineError(code, `DM server answered ${res.status}: ${reason}`, { status: res.status });
}

function reasonOf(body: string): string {
  const text = body.slice(0, 500);
  try {
    const j = JSON.parse(text) as { error?: unknown; reason?: unknown; message?: unknown };
    return String(
      j.reason ?? j.message ?? (typeof j.error === 'string' ? j.error : JSON.stringify(j.error)) ?? text,
    ).slice(0, 200);
  } catch {
    return text.slice(0, 200) || 'no reason given';
  }
}
