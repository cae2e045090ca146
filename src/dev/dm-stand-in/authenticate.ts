import {
  AUTH_TYPE_BY_AAUTHTYPE,
  AUTH_TYPES,
  authTypeOf,
  credentialFor,
  credentialsEqual,
  nonceBytes,
  parseHmacHeader,
  type AuthType,
  type DmMessage,
} from '../../codec/dm-session/index.js';
import type { Registration } from '../../dm/register-client.js';

/** Why a DM server refused a client's credentials: the `cause` of an auth-failed signal. */
export const AUTH_FAILURE_CAUSES = {
  'unknown-client': 'no device was registered under that client name',
  'credentials-missing': 'the package carried no Cred and no x-syncml-hmac header',
  'auth-type-mismatch': 'the client used another authentication type than its account names',
  'bad-digest': 'the syncml:auth-md5 (or auth-basic) credential does not match the registered secret and nonce',
  'bad-hmac': 'the syncml:auth-MAC header does not match the registered secret, the nonce and the body',
} as const;
export type AuthFailureCause = keyof typeof AUTH_FAILURE_CAUSES;

export type AuthCheck =
  | { readonly ok: true; readonly clientName: string; readonly reg: Registration; readonly type: AuthType }
  | {
      readonly ok: false;
      readonly clientName: string;
      readonly reg?: Registration;
      readonly cause: AuthFailureCause;
      /** The type the challenge asks for. */
      readonly type: AuthType;
    };

export type Credentials = Registration['appAuth'][number];

export const credentialsOf = (reg: Registration, level: 'APPSRV' | 'CLIENT'): Credentials =>
  reg.appAuth.find((a) => a.AAUTHLEVEL === level)!;

/** The SyncML authentication a registered AAUTHTYPE names (DIGEST when it names none we know). */
export function registeredType(c: Credentials): AuthType {
  return AUTH_TYPE_BY_AAUTHTYPE[String(c.AAUTHTYPE).toUpperCase()] ?? AUTH_TYPES.MD5;
}

/**
 * Checks a client's Package 1 against what bootline registered (OMA-TS-DM_Security §5.1.3:
 * the server recomputes the digest from the stored name, secret and the nonce it issued last;
 * §5.1.4.3: for auth-MAC the user name comes from the header, so the mac is checked over the
 * raw body). `nonce`: the client nonce the server expects now (base64 text).
 */
export function authenticate(
  msg: DmMessage,
  body: Uint8Array,
  hmacHeader: string | undefined,
  lookup: (clientName: string) => Registration | undefined,
  nonceFor: (clientName: string, reg: Registration) => string,
): AuthCheck {
  const hmac = parseHmacHeader(hmacHeader);
  const clientName = hmac?.username ?? msg.header.sourceName ?? '';
  const reg = clientName ? lookup(clientName) : undefined;
  if (!reg) return { ok: false, clientName, cause: 'unknown-client', type: AUTH_TYPES.MD5 };
  const c = credentialsOf(reg, 'APPSRV');
  const type = registeredType(c);
  const given = hmac ? AUTH_TYPES.MAC : authTypeOf(msg.header.cred?.type);
  const fail = (cause: AuthFailureCause): AuthCheck => ({ ok: false, clientName, reg, cause, type });
  if (!given) return fail('credentials-missing');
  if (given !== type) return fail('auth-type-mismatch');
  const secret = { name: c.AAUTHNAME, secret: c.AAUTHSECRET, nonce: nonceBytes(nonceFor(clientName, reg)) };
  const presented = hmac ? hmac.mac : (msg.header.cred?.data ?? '');
  if (!credentialsEqual(credentialFor(type, secret, body), presented))
    return fail(type === AUTH_TYPES.MAC ? 'bad-hmac' : 'bad-digest');
  return { ok: true, clientName, reg, type };
}
