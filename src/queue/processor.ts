import { createHash, randomBytes } from 'node:crypto';
import { RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import { buildPush, segmentPush } from '../bootstrap/index.js';
import type { Config } from '../config/config.js';
import { BootlineError, isBootlineError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import { maskPhone } from '../lib/mask.js';
import type { SubmitFields } from '../push/smpp-client.js';
import type { BootstrapJobData } from './jobs.js';
import type { BootstrapStore, DmCredentials } from './store.js';

export interface ProcessorDeps {
  readonly config: Pick<Config, 'dmServer' | 'sms'>;
  readonly store: BootstrapStore;
  readonly submit: (fields: SubmitFields) => Promise<{ messageId: string }>;
  readonly logger: Logger;
  /** Called when the SMSC throttles: the worker pauses the whole queue for `ms`. */
  readonly rateLimit: (ms: number) => Promise<void>;
}

const THROTTLE_PAUSE_MS = 1_000;

function freshCredentials(serverId: string, bootstrapId: string): DmCredentials {
  const token = (n: number) => randomBytes(n).toString('base64url');
  return {
    clientName: `bootline-${createHash('sha256').update(bootstrapId).digest('hex').slice(0, 16)}`,
    clientSecret: token(18), clientNonce: randomBytes(16).toString('base64'),
    serverName: serverId, serverSecret: token(18), serverNonce: randomBytes(16).toString('base64'),
  };
}

/** Deterministic per bootstrap so a retry rebuilds byte-identical segments. */
function concatReference(bootstrapId: string): number {
  return createHash('sha256').update(bootstrapId).digest()[0]!;
}

/**
 * The push job: CP-profile Bootstrap Message signed USERPIN with the PIN spoken in the call,
 * segmented, submitted segment by segment. A segment the SMSC already accepted (recorded
 * with its message id) is never submitted again, so retries and stalled-job re-runs are safe.
 */
export function createBootstrapProcessor(deps: ProcessorDeps) {
  return async (job: Job<BootstrapJobData>): Promise<{ segments: number }> => {
    const { bootstrapId } = job.data;
    try {
      return await pushBootstrap(deps, bootstrapId);
    } catch (err) {
      if (!isBootlineError(err)) throw err;
      if (err.retry === 'throttle') {
        await deps.rateLimit(THROTTLE_PAUSE_MS);
        throw new RateLimitError();
      }
      if (err.retry === 'permanent') {
        await deps.store.setStatus(bootstrapId, 'failed', { error: `${err.code}: ${err.message}` });
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      throw err;
    }
  };
}

async function pushBootstrap(deps: ProcessorDeps, bootstrapId: string): Promise<{ segments: number }> {
  const rec = await deps.store.get(bootstrapId);
  if (!rec) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no record for ${bootstrapId}`);
  const pin = await deps.store.pin(bootstrapId);
  const cred = await deps.store.credentials(bootstrapId, () => freshCredentials(deps.config.dmServer.id, bootstrapId));
  const { wsp } = buildPush({
    profile: 'cp',
    model: {
      providerId: deps.config.dmServer.id, name: deps.config.dmServer.id, addr: deps.config.dmServer.url,
      appAuth: [
        { level: 'APPSRV', type: 'DIGEST', name: cred.clientName, secret: cred.clientSecret, data: cred.clientNonce },
        { level: 'CLIENT', type: 'DIGEST', name: cred.serverName, secret: cred.serverSecret, data: cred.serverNonce },
      ],
    },
  }, { method: 'USERPIN', pin }, { tid: 0x01 });
  const segments = segmentPush(wsp, { reference: concatReference(bootstrapId), dataCoding: deps.config.sms.dataCoding, registeredDelivery: 1 });
  const done = await deps.store.submittedSegments(bootstrapId);
  for (const seg of segments) {
    if (done.has(seg.index)) continue;
    const { messageId } = await deps.submit({
      source_addr: deps.config.sms.sourceAddr, source_addr_ton: /^\d+$/.test(deps.config.sms.sourceAddr) ? 1 : 5, source_addr_npi: /^\d+$/.test(deps.config.sms.sourceAddr) ? 1 : 0,
      destination_addr: rec.msisdn.replace(/^\+/, ''), dest_addr_ton: 1, dest_addr_npi: 1,
      esm_class: seg.esmClass, data_coding: seg.dataCoding, registered_delivery: seg.registeredDelivery,
      short_message: Buffer.from(seg.shortMessage),
    });
    await deps.store.recordSegment(bootstrapId, seg.index, messageId);
    done.set(seg.index, messageId);
  }
  await deps.store.setStatus(bootstrapId, 'submitted', { segments: segments.length, smscIds: JSON.stringify([...done.values()]) });
  await deps.store.forgetPin(bootstrapId);
  deps.logger.info({ bootstrapId, to: maskPhone(rec.msisdn), segments: segments.length }, 'bootstrap submitted');
  return { segments: segments.length };
}
