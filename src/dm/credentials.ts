import { createHash, randomBytes } from 'node:crypto';

/** The APPAUTH credentials of one device: what the client presents, and what the server presents back. */
export interface DmCredentials {
  readonly clientName: string;
  readonly clientSecret: string;
  readonly clientNonce: string;
  readonly serverName: string;
  readonly serverSecret: string;
  readonly serverNonce: string;
}

/**
 * Fresh per-device credentials for one bootstrap (OMA-WAP-ProvCont APPAUTH, AAUTHLEVEL
 * APPSRV = what the client presents to the server, CLIENT = what the server presents to
 * the client). Secrets are 144 random bits in base64url; AAUTHDATA is a 128-bit nonce in
 * base64, the form DM 1.2 digest authentication expects. The client name is derived from
 * the bootstrap id so the DM server's logs can be matched to ours without the number.
 */
export function freshCredentials(serverId: string, bootstrapId: string): DmCredentials {
  // One draw from the CSPRNG, cut in four (one call per push instead of four; same entropy each).
  const r = randomBytes(18 + 16 + 18 + 16);
  return {
    clientName: `bootline-${createHash('sha256').update(bootstrapId).digest('hex').slice(0, 16)}`,
    clientSecret: r.subarray(0, 18).toString('base64url'),
    clientNonce: r.subarray(18, 34).toString('base64'),
    serverName: serverId,
    serverSecret: r.subarray(34, 52).toString('base64url'),
    serverNonce: r.subarray(52, 68).toString('base64'),
  };
}
