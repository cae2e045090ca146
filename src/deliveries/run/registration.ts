import { freshCredentials } from '../../dm/credentials.js';
import { registerDevice, registrationFor, type DmRegisterTarget } from '../../dm/register-client.js';
import type { BootstrapRecord, DmCredentials } from '../record.js';
import type { BootstrapStore } from '../store/store.js';

/**
 * Owns a bootstrap's DM registration: the one function that tells the DM server a device's
 * credentials, whether the push run does it inline (register-step.ts) or the dm-register
 * queue's child job does it later (register-job.ts). The credentials are made on first use
 * and kept sealed in the record, so a re-run registers the same ones.
 */
export interface RegistrationDeps {
  readonly store: BootstrapStore;
  readonly target: DmRegisterTarget;
  /** The DM server's id (DM_SERVER_ID): its name in the credentials. */
  readonly serverId: string;
}

/** Makes the credentials a bootstrap is registered with, on first use. */
export function credentialsMaker(serverId: string, bootstrapId: string): () => DmCredentials {
  return () => freshCredentials(serverId, bootstrapId);
}

/**
 * Registers the bootstrap's credentials with the DM server unless its record says that is
 * done; true when it registered now (the caller records it). `cred`: the credentials when the
 * caller already read them, else they are read (or made) here. Throws the DM server's answer:
 * DM_REGISTRATION_UNAVAILABLE (retry) or DM_REGISTRATION_REJECTED (permanent).
 */
export async function registerBootstrap(
  deps: RegistrationDeps,
  rec: Pick<BootstrapRecord, 'id' | 'msisdn' | 'registeredAt'>,
  cred?: DmCredentials,
): Promise<boolean> {
  if (rec.registeredAt) return false;
  const c = cred ?? (await deps.store.credentials(rec.id, credentialsMaker(deps.serverId, rec.id)));
  // The DM server names the device by its client name when it reports a session: the index is
  // written with the registration (both before the push), so a session never finds it missing.
  await Promise.all([
    deps.store.indexClient(c.clientName, rec.id),
    registerDevice(deps.target, registrationFor(rec.id, rec.msisdn, deps.serverId, c)),
  ]);
  return true;
}
