import { BootlineError } from '../errors.js';
import type { DmCredentials } from '../queue/record.js';
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
  readonly appAuth: ReadonlyArray<{ AAUTHLEVEL: 'APPSRV' | 'CLIENT'; AAUTHTYPE: 'DIGEST'; AAUTHNAME: string; AAUTHSECRET: string; AAUTHDATA: string }>;
}

export function registrationFor(bootstrapId: string, msisdn: string, serverId: string, c: DmCredentials): Registration {
  return {
    bootstrapId, msisdn, serverId,
    appAuth: [
      { AAUTHLEVEL: 'APPSRV', AAUTHTYPE: 'DIGEST', AAUTHNAME: c.clientName, AAUTHSECRET: c.clientSecret, AAUTHDATA: c.clientNonce },
      { AAUTHLEVEL: 'CLIENT', AAUTHTYPE: 'DIGEST', AAUTHNAME: c.serverName, AAUTHSECRET: c.serverSecret, AAUTHDATA: c.serverNonce },
    ],
  };
}

/** 4xx means "this registration will never be accepted" except timeouts and rate limits. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * POSTs one registration, signed. Resolves on 2xx; DM_REGISTRATION_REJECTED (permanent) on
 * a refusal, with the server's reason; DM_REGISTRATION_UNAVAILABLE (retry) on 5xx, 408/429,
 * a network error or no answer within `timeoutMs` (default 5 s).
 */
export async function registerDevice(target: DmRegisterTarget, reg: Registration, nowS = Math.floor(Date.now() / 1000)): Promise<void> {
  const body = JSON.stringify(reg);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST', body, signal: AbortSignal.timeout(target.timeoutMs ?? 5_000),
      headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(nowS), [SIGNATURE_HEADER]: signBody(target.secret, nowS, body) },
    });
  } catch (err) {
    throw new BootlineError('DM_REGISTRATION_UNAVAILABLE', `DM server unreachable: ${(err as Error).message}`, {}, { cause: err });
  }
  if (res.ok) { await res.body?.cancel(); return; }
  const reason = await reasonOf(res);
  const code = res.status >= 500 || RETRYABLE_4XX.has(res.status) ? 'DM_REGISTRATION_UNAVAILABLE' : 'DM_REGISTRATION_REJECTED';
  throw new BootlineError(code, `DM server answered ${res.status}: ${reason}`, { status: res.status });
}

async function reasonOf(res: Response): Promise<string> {
  const text = (await res.text().catch(() => '')).slice(0, 500);
  try {
    const j = JSON.parse(text) as { error?: unknown; reason?: unknown; message?: unknown };
    return String(j.reason ?? j.message ?? (typeof j.error === 'string' ? j.error : JSON.stringify(j.error)) ?? text).slice(0, 200);
  } catch {
    return text.slice(0, 200) || res.statusText;
  }
}
