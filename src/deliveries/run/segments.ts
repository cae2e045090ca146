/**
 * Owns a push's segments: the CP-profile Bootstrap Message (OMA-WAP-ProvCont), signed with
 * the SEC method's key material (OMA-WAP-TS-ProvBoot), cut for SMS (3GPP TS 23.040).
 */
import { createHash } from 'node:crypto';
import { buildPush, segmentPush } from '../../codec/index.js';
import type { SecInput } from '../../codec/security/mac.js';
import { BootlineError } from '../../errors.js';
import type { ProcessorDeps } from './deps.js';
import type { BootstrapRecord, DmCredentials } from '../record.js';

/** Deterministic per bootstrap and round, so a re-run rebuilds byte-identical segments. */
function concatReference(bootstrapId: string, round: number): number {
  return createHash('sha256').update(`${bootstrapId}#${round}`).digest()[0]!;
}

/** The SEC method's key material; the IMSI is fetched per job and lives only in memory. */
export async function secFor(deps: ProcessorDeps, msisdn: string, pin: string): Promise<SecInput> {
  const method = deps.config.security?.pushSecurity ?? 'USERPIN';
  if (method === 'USERPIN') return { method, pin };
  if (!deps.subscribers) throw new BootlineError('CONFIG_INVALID', `${method} needs a subscriber lookup`);
  const imsi = await deps.subscribers.imsiOf(msisdn);
  return method === 'NETWPIN' ? { method, imsi } : { method, imsi, pin };
}

export function buildSegments(deps: ProcessorDeps, rec: BootstrapRecord, cred: DmCredentials, sec: SecInput) {
  const { wsp } = buildPush(
    {
      profile: 'cp',
      model: {
        providerId: deps.config.dmServer.id,
        name: deps.config.dmServer.id,
        addr: deps.config.dmServer.url,
        appAuth: [
          { level: 'APPSRV', type: 'DIGEST', name: cred.clientName, secret: cred.clientSecret, data: cred.clientNonce },
          { level: 'CLIENT', type: 'DIGEST', name: cred.serverName, secret: cred.serverSecret, data: cred.serverNonce },
        ],
      },
    },
    sec,
    { tid: 0x01 },
  );
  return segmentPush(wsp, {
    reference: concatReference(rec.id, rec.round),
    dataCoding: deps.config.sms.dataCoding,
    registeredDelivery: 1,
  });
}

export type Segment = ReturnType<typeof buildSegments>[number];
