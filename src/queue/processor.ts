import { createHash, randomUUID } from 'node:crypto';
import { RateLimitError, UnrecoverableError, WaitingChildrenError, type Job, type Queue } from 'bullmq';
import { buildPush, segmentPush } from '../bootstrap/index.js';
import type { Config } from '../config/config.js';
import { freshCredentials } from '../dm/credentials.js';
import type { DmRegisterTarget } from '../dm/register-client.js';
import { DM_REGISTER_JOB, DM_REGISTER_JOB_OPTIONS, registerJobId, registerOnce, type DmRegisterJobData } from '../dm/register-queue.js';
import { BootlineError, isBootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import { maskPhone } from '../lib/mask.js';
import { destinationAddress, sourceAddress, type SubmitFields } from '../push/submit-fields.js';
import type { BootstrapJobData } from './jobs.js';
import type { BootstrapRecord, BootstrapStatus } from './record.js';
import type { BootstrapStore } from './store.js';
import type { SecInput } from '../bootstrap/security/mac.js';
import type { SubscriberLookup } from '../subscriber/lookup.js';

export interface ProcessorDeps {
  readonly config: Pick<Config, 'dmServer' | 'sms'> & { readonly security?: Pick<Config['security'], 'pushSecurity'> };
  /** The IMSI source for NETWPIN / USERNETWPIN (config refuses those methods without one). */
  readonly subscribers?: SubscriberLookup;
  readonly store: BootstrapStore;
  readonly submit: (fields: SubmitFields) => Promise<{ messageId: string }>;
  readonly logger: Logger;
  /** Called when the SMSC keeps throttling: the worker pauses the whole queue for `ms`. */
  readonly rateLimit: (ms: number) => Promise<void>;
  /** The DM server's registration endpoint and the queue its retries go through. */
  readonly dm: { readonly target: DmRegisterTarget; readonly queue: Queue<DmRegisterJobData> };
  /**
   * TTL of the submit lease: half of WORKER_LOCK_MS, so a dead run's lease is always gone by
   * the time its job lock lapses and the job is re-run (the lock is renewed every half lock).
   */
  readonly submitLeaseMs?: number;
}

const THROTTLE_PAUSE_MS = 1_000;

/** Deterministic per bootstrap and round, so a re-run rebuilds byte-identical segments. */
function concatReference(bootstrapId: string, round: number): number {
  return createHash('sha256').update(`${bootstrapId}#${round}`).digest()[0]!;
}

/**
 * The push job: register the device's credentials with the DM server (inline first, then
 * through the dm-register queue as a child this job waits for), build the CP-profile
 * Bootstrap Message signed USERPIN with the PIN spoken in the call, segment it, and submit
 * segment by segment. A segment whose message id is recorded is never submitted again, so
 * retries and stalled-job re-runs re-send only what the SMSC did not acknowledge.
 */
export function createBootstrapProcessor(deps: ProcessorDeps) {
  return async (job: Job<BootstrapJobData>, token?: string): Promise<{ segments: number; status: BootstrapStatus | null }> => {
    const { bootstrapId } = job.data;
    const owner = token ?? randomUUID();
    try {
      return await pushBootstrap(deps, job, token, owner);
    } catch (err) {
      // A run that failed lets go of the submit lease at once: its retry need not wait it out.
      await deps.store.releaseSubmit(bootstrapId, owner).catch(() => undefined);
      if (!isBootlineError(err)) throw err;
      if (err.retry === 'throttle') {
        await deps.rateLimit(THROTTLE_PAUSE_MS);
        throw new RateLimitError();
      }
      if (err.retry === 'permanent') {
        await deps.store.fail(bootstrapId, 'failed', err.code, err.message);
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      throw err;
    }
  };
}

async function pushBootstrap(deps: ProcessorDeps, job: Job<BootstrapJobData>, token: string | undefined, owner: string): Promise<{ segments: number; status: BootstrapStatus | null }> {
  const id = job.data.bootstrapId;
  const rec = await deps.store.get(id);
  if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no record for ${id}`);
  // Already past queued (a re-run after the status was written, or receipts got there first).
  if (rec.status !== 'queued') return { segments: rec.segments ?? 0, status: rec.status };
  if (!rec.registeredAt) await ensureRegistered(deps, job, rec, token);
  const pin = await deps.store.pin(id);
  const cred = await deps.store.credentials(id, () => freshCredentials(deps.config.dmServer.id, id));
  const { wsp } = buildPush({
    profile: 'cp',
    model: {
      providerId: deps.config.dmServer.id, name: deps.config.dmServer.id, addr: deps.config.dmServer.url,
      appAuth: [
        { level: 'APPSRV', type: 'DIGEST', name: cred.clientName, secret: cred.clientSecret, data: cred.clientNonce },
        { level: 'CLIENT', type: 'DIGEST', name: cred.serverName, secret: cred.serverSecret, data: cred.serverNonce },
      ],
    },
  }, await secFor(deps, rec.msisdn, pin), { tid: 0x01 });
  const segments = segmentPush(wsp, { reference: concatReference(id, rec.round), dataCoding: deps.config.sms.dataCoding, registeredDelivery: 1 });
  await deps.store.setSegmentCount(id, segments.length);
  // One run at a time past this point (store.claimSubmit explains why), re-claimed per submit.
  const lease = () => deps.store.claimSubmit(id, owner, deps.submitLeaseMs ?? 30_000);
  await lease();
  const done = await deps.store.submittedSegments(id);
  const address = { ...sourceAddress(deps.config.sms.sourceAddr), ...destinationAddress(rec.msisdn) };
  for (const seg of segments) {
    if (done.has(seg.index)) continue;
    await lease();
    const { messageId } = await deps.submit({
      ...address, esm_class: seg.esmClass, data_coding: seg.dataCoding, registered_delivery: seg.registeredDelivery,
      short_message: Buffer.from(seg.shortMessage),
    });
    await deps.store.recordSegment(id, rec.round, seg.index, messageId);
  }
  const status = await deps.store.markSubmitted(id);
  await deps.store.releaseSubmit(id, owner);
  deps.logger.info({ bootstrapId: id, to: maskPhone(rec.msisdn), segments: segments.length, status }, 'bootstrap submitted');
  return { segments: segments.length, status };
}

/** The SEC method's key material; the IMSI is fetched per job and lives only in memory. */
async function secFor(deps: ProcessorDeps, msisdn: string, pin: string): Promise<SecInput> {
  const method = deps.config.security?.pushSecurity ?? 'USERPIN';
  if (method === 'USERPIN') return { method, pin };
  if (!deps.subscribers) throw new BootlineError('CONFIG_INVALID', `${method} needs a subscriber lookup`);
  const imsi = await deps.subscribers.imsiOf(msisdn);
  return method === 'NETWPIN' ? { method, imsi } : { method, imsi, pin };
}

/**
 * The push goes out only after the DM server knows the credentials. First try inline (no
 * queue hop while the caller waits); if the DM server is unavailable, a dm-register child
 * job takes over with its own backoff and this job waits for it. A refusal is permanent.
 */
async function ensureRegistered(deps: ProcessorDeps, job: Job<BootstrapJobData>, rec: BootstrapRecord, token?: string): Promise<void> {
  const waitForChild = async () => { if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError(); };
  await waitForChild(); // re-run while a child is still pending: keep waiting for it
  const reg = { store: deps.store, target: deps.dm.target, serverId: deps.config.dmServer.id };
  try {
    await registerOnce(reg, rec.id);
    return;
  } catch (err) {
    if (!isBootlineError(err, 'DM_REGISTRATION_UNAVAILABLE')) throw err;
    deps.logger.warn({ bootstrapId: rec.id, err: err.message }, 'dm registration failed; retrying through the dm-register queue');
  }
  const parent = { id: job.id!, queue: job.queueQualifiedName };
  await deps.dm.queue.add(DM_REGISTER_JOB, { bootstrapId: rec.id, round: rec.round }, { ...DM_REGISTER_JOB_OPTIONS, jobId: registerJobId(rec.id, rec.round), parent });
  await waitForChild();
  // The child finished between add and wait: it either registered or failed this bootstrap.
  if (!(await deps.store.get(rec.id))?.registeredAt) throw new BootlineError('DM_REGISTRATION_UNAVAILABLE', 'registration not done yet');
}
