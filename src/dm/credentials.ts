import { createHash, randomBytes } from 'node:crypto';
import type { DmCredentials } from '../queue/record.js';

/**
 * Fresh per-device credentials for one bootstrap (OMA-WAP-ProvCont APPAUTH, AAUTHLEVEL
 * APPSRV = what the client presents to the server, CLIENT = what the server presents to
 * the client). Secrets are 144 random bits in base64url; AAUTHDATA is a 128-bit nonce in
 * base64, the form DM 1.2 digest authentication expects. The client name is derived from
 * the bootstrap id so the DM server's logs can be matched to ours without the number.
 */
export function freshCredentials(serverId: string, bootstrapId: string): DmCredentials {
  const token = () => randomBytes(18).toString('base64url');
  return {
    clientName: `bootline-${createHash('sha256').update(bootstrapId).digest('hex').slice(0, 16)}`,
    clientSecret: token(), clientNonce: randomBytes(16).toString('base64'),
    serverName: serverId, serverSecret: token(), serverNonce: randomBytes(16).toString('base64'),
  };
}
