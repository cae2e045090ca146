import {
  AUTH_TYPES,
  authTypeOf,
  credentialFor,
  credentialsEqual,
  nonceBytes,
  parseHmacHeader,
  type AuthType,
  type DmMessage,
} from '../../codec/dm-session/index.js';
import type { StoredAccount } from './phone.js';

/**
 * The client's check of the server (OMA-TS-DM_Security §5.1.3: "Both OMA DM Protocol client and
 * Server MUST be authenticated to each other"; over plain HTTP that happens at the application
 * layer). The server presents SRVCRED — its name, its secret, the server nonce the account
 * holds — in the Cred of its SyncHdr, or for auth-MAC in the x-syncml-hmac header over the
 * exact reply body. Returns why the server is not authenticated, or null when it is.
 */
export function serverAuthenticated(
  stored: StoredAccount,
  type: AuthType,
  reply: DmMessage,
  replyBody: Uint8Array,
  replyHmac: string | undefined,
): string | null {
  const s = stored.account.server;
  const secret = {
    name: s.name ?? stored.account.serverId,
    secret: s.secret ?? '',
    nonce: nonceBytes(stored.serverNonce),
  };
  if (type === AUTH_TYPES.MAC) {
    const h = parseHmacHeader(replyHmac);
    if (!h) return 'Package 2 has no x-syncml-hmac header';
    if (h.username !== secret.name) return `Package 2 is signed by ${h.username}, not ${secret.name}`;
    return credentialsEqual(credentialFor(type, secret, replyBody), h.mac) ? null : 'the server HMAC does not match';
  }
  const cred = reply.header.cred;
  if (!cred) return 'Package 2 carries no server credentials';
  const given = authTypeOf(cred.type);
  if (given !== type) return `the server answered with ${cred.type}, not ${type}`;
  return credentialsEqual(credentialFor(type, secret, replyBody), cred.data)
    ? null
    : 'the server digest does not match';
}
