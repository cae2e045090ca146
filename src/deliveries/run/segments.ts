/**
 * Owns a push's segments: the Bootstrap Message the record asks for — CP profile
 * (OMA-WAP-ProvCont w7 APPLICATION) or DM profile (OMA-TS-DM_Bootstrap TNDS) — signed with the
 * record's SEC method (OMA-WAP-TS-ProvBoot), cut for SMS (3GPP TS 23.040) in the record's data
 * coding. The record's device profile chose all of it (deliveries/device-choice.ts), the TNDS
 * encoding of the DM profile too; config gives only the defaults of records that do not say.
 */
import { createHash } from 'node:crypto';
import { buildPush, segmentPush } from '../../codec/index.js';
import type { PushInput } from '../../codec/push.js';
import type { SecInput, SecMethod } from '../../codec/security/mac.js';
import { BootlineError } from '../../errors.js';
import type { ProcessorDeps } from './deps.js';
import type { BootstrapRecord, DmCredentials } from '../record.js';

/** Deterministic per bootstrap and round, so a re-run rebuilds byte-identical segments. */
function concatReference(bootstrapId: string, round: number): number {
  return createHash('sha256').update(`${bootstrapId}#${round}`).digest()[0]!;
}

/** The record's SEC method, or the configured default for a record that does not say. */
export function secMethodOf(deps: ProcessorDeps, rec: Pick<BootstrapRecord, 'sec'>): SecMethod {
  return rec.sec ?? deps.config.security?.pushSecurity ?? 'USERPIN';
}

/** Whether a SEC method is keyed (in part) with a PIN the user enters: all but NETWPIN. */
export function needsPin(method: SecMethod): boolean {
  return method !== 'NETWPIN';
}

/** The SEC method's key material; the IMSI is fetched per job and lives only in memory. */
export async function secFor(deps: ProcessorDeps, rec: BootstrapRecord, pin: string | null): Promise<SecInput> {
  const method = secMethodOf(deps, rec);
  if (method === 'USERPIN') return { method, pin: pin ?? '' };
  if (method === 'USERPINMAC') return { method, userKey: pin ?? '' };
  if (!deps.subscribers) throw new BootlineError('CONFIG_INVALID', `${method} needs a subscriber lookup`);
  const imsi = await deps.subscribers.imsiOf(rec.msisdn);
  return method === 'NETWPIN' ? { method, imsi } : { method, imsi, pin: pin ?? '' };
}

/** The document model of the record's profile, carrying the device's APPAUTH credentials. */
function documentFor(deps: ProcessorDeps, rec: BootstrapRecord, cred: DmCredentials, imei: string | null): PushInput {
  const { id: serverId, url } = deps.config.dmServer;
  if (rec.profile === 'dm') {
    if (!imei) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `the IMEI of ${rec.id} is gone or unreadable`);
    return {
      profile: 'dm',
      model: {
        deviceId: `IMEI:${imei}`,
        serverId,
        name: serverId,
        addr: url,
        clientAuth: { type: 'DIGEST', name: cred.clientName, secret: cred.clientSecret, data: cred.clientNonce },
        serverAuth: { type: 'DIGEST', name: cred.serverName, secret: cred.serverSecret, data: cred.serverNonce },
        ...(rec.tnds ? { tnds: rec.tnds } : {}),
      },
    };
  }
  return {
    profile: 'cp',
    model: {
      providerId: serverId,
      name: serverId,
      addr: url,
      appAuth: [
        { level: 'APPSRV', type: 'DIGEST', name: cred.clientName, secret: cred.clientSecret, data: cred.clientNonce },
        { level: 'CLIENT', type: 'DIGEST', name: cred.serverName, secret: cred.serverSecret, data: cred.serverNonce },
      ],
    },
  };
}

export function buildSegments(
  deps: ProcessorDeps,
  rec: BootstrapRecord,
  cred: DmCredentials,
  sec: SecInput,
  imei: string | null = null,
) {
  const { wsp } = buildPush(documentFor(deps, rec, cred, imei), sec, { tid: 0x01 });
  return segmentPush(wsp, {
    reference: concatReference(rec.id, rec.round),
    dataCoding: rec.dataCoding ?? deps.config.sms.dataCoding,
    registeredDelivery: 1,
  });
}

export type Segment = ReturnType<typeof buildSegments>[number];
