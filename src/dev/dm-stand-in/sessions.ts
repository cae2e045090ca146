import { randomBytes } from 'node:crypto';
import {
  AUTH_TYPES,
  credentialFor,
  encodeDmMessage,
  formatHmacHeader,
  HMAC_HEADER,
  nonceBytes,
  package2,
  STATUS_CODES,
  type DmEncoding,
  type DmMessage,
} from '../../codec/dm-session/index.js';
import type { Registration } from '../../dm/register-client.js';
import { authenticate, credentialsOf, type AuthCheck, type AuthFailureCause } from './authenticate.js';

export interface SessionAnswer {
  /** The Status given to the client's SyncHdr: 212, 401 or 407. */
  readonly status: number;
  readonly clientName: string;
  readonly cause?: AuthFailureCause;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  /** What to tell bootline, when this answer ends the session's authentication. */
  readonly outcome?: {
    readonly event: 'session-started' | 'auth-failed';
    readonly clientName: string;
    readonly serverId?: string;
    readonly cause?: AuthFailureCause;
  };
}

/** Refusals a retry cannot mend end the session at once; the others get the one more challenge. */
const FINAL_AT_ONCE: ReadonlySet<AuthFailureCause> = new Set(['unknown-client']);
const MAX_ATTEMPTS = 2;
const SESSION_MEMORY = 10_000;

/**
 * The DM stand-in's side of a session's setup phase (OMA-TS-DM_Protocol §8.4, §9;
 * OMA-TS-DM_Security §5.1.3.3): it authenticates Package 1 with the nonce it issued last
 * (first the AAUTHDATA bootline registered), and answers Package 2 with its own credentials
 * and Status 212 plus the client's next nonce, or 401/407 with a Chal carrying a fresh
 * nonce. "If authentication fails, one more challenge, along with the supply of a new
 * nonce, MUST be made": a second failure in the same session is final and is signalled.
 */
export class SessionAuthority {
  /** Client name → the nonce (base64) its next credentials must use. */
  private readonly nonces = new Map<string, string>();
  /** `${client}#${SessionID}` → failed attempts. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly lookup: (clientName: string) => Registration | undefined,
    private readonly newNonce: () => string = () => randomBytes(16).toString('base64'),
  ) {}

  answer(msg: DmMessage, body: Uint8Array, hmacHeader: string | undefined, encoding: DmEncoding): SessionAnswer {
    const check = authenticate(msg, body, hmacHeader, this.lookup, (name, reg) => this.expectedNonce(name, reg));
    const next = this.newNonce();
    if (check.reg) this.nonces.set(check.clientName, next);
    const chal = { type: check.type, nextNonce: next };
    if (check.ok) {
      this.failures.delete(`${check.clientName}#${msg.header.sessionId}`);
      return this.accept(msg, check, chal, encoding);
    }
    const key = `${check.clientName}#${msg.header.sessionId}`;
    const before = this.failures.get(key) ?? 0;
    // A refusal that ends the session is signalled once; later tries in it are refused quietly.
    const attempts = FINAL_AT_ONCE.has(check.cause) ? Math.max(before + 1, MAX_ATTEMPTS) : before + 1;
    this.remember(key, attempts);
    const status =
      check.cause === 'credentials-missing' ? STATUS_CODES.AUTHENTICATION_REQUIRED : STATUS_CODES.UNAUTHORIZED;
    const reply = package2({ request: msg, msgId: msg.header.msgId, status, chal });
    const final = before < MAX_ATTEMPTS && attempts >= MAX_ATTEMPTS;
    return {
      status,
      clientName: check.clientName,
      cause: check.cause,
      body: encodeDmMessage(reply, encoding),
      headers: {},
      ...(final
        ? {
            outcome: {
              event: 'auth-failed',
              clientName: check.clientName,
              ...(check.reg ? { serverId: check.reg.serverId } : {}),
              cause: check.cause,
            },
          }
        : {}),
    };
  }

  private expectedNonce(clientName: string, reg: Registration): string {
    return this.nonces.get(clientName) ?? credentialsOf(reg, 'APPSRV').AAUTHDATA;
  }

  /** Status 212 with the next nonce; the server proves itself with the CLIENT-level credentials. */
  private accept(
    msg: DmMessage,
    check: Extract<AuthCheck, { ok: true }>,
    chal: { type: string; nextNonce: string },
    encoding: DmEncoding,
  ): SessionAnswer {
    const own = credentialsOf(check.reg, 'CLIENT');
    const secret = { name: own.AAUTHNAME, secret: own.AAUTHSECRET, nonce: nonceBytes(own.AAUTHDATA) };
    const status = STATUS_CODES.AUTHENTICATION_ACCEPTED;
    const mac = check.type === AUTH_TYPES.MAC;
    const cred = mac ? undefined : { type: check.type, data: credentialFor(check.type, secret, new Uint8Array()) };
    const reply = package2({ request: msg, msgId: msg.header.msgId, status, chal, ...(cred ? { cred } : {}) });
    const body = encodeDmMessage(reply, encoding);
    const headers: Record<string, string> = mac
      ? { [HMAC_HEADER]: formatHmacHeader({ username: own.AAUTHNAME, mac: credentialFor(check.type, secret, body) }) }
      : {};
    return {
      status,
      clientName: check.clientName,
      body,
      headers,
      outcome: { event: 'session-started', clientName: check.clientName, serverId: check.reg.serverId },
    };
  }

  private remember(key: string, attempts: number): void {
    if (this.failures.size >= SESSION_MEMORY) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(key, attempts);
  }
}
