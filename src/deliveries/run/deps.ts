import type { Queue } from 'bullmq';
import type { Config } from '../../config/config.js';
import type { SubmitFields } from '../../codec/sms/submit-fields.js';
import type { DmRegisterTarget } from '../../dm/register-client.js';
import type { Logger } from '../../platform/logger.js';
import type { DmRegisterJobData } from '../../queues/catalogue.js';
import type { SubscriberLookup } from '../../subscriber/lookup.js';
import type { FollowUp } from '../follow-up.js';
import type { SmscRefIndex } from '../receipts/smsc-ref-index.js';
import type { BootstrapStore } from '../store/store.js';

/** What a push run needs from its process: the parts the worker's composition hands it. */
export interface ProcessorDeps {
  readonly config: Pick<Config, 'dmServer' | 'sms'> & { readonly security?: Pick<Config['security'], 'pushSecurity'> };
  /** The IMSI source for NETWPIN / USERNETWPIN (config refuses those methods without one). */
  readonly subscribers?: SubscriberLookup;
  readonly store: BootstrapStore;
  /**
   * `checked`: destinations this job already passed the destination policy with (skips the re-parse,
   * never the check).
   */
  readonly submit: (fields: SubmitFields, checked?: Set<string>) => Promise<{ messageId: string }>;
  readonly logger: Logger;
  /** The worker's queue rate limit, used when the SMSC keeps throttling. */
  readonly rateLimit: (ms: number) => Promise<void>;
  /** The DM server's registration endpoint and the queue its retries go through. */
  readonly dm: { readonly target: DmRegisterTarget; readonly queue: Queue<DmRegisterJobData> };
  /** Where each accepted segment's SMSC message id is remembered for its receipt (shared with the receipt handler). */
  readonly refs: SmscRefIndex;
  /**
   * TTL of the submit lease: half of WORKER_LOCK_MS, so a dead run's lease is always gone by
   * the time its job lock lapses and the job is re-run (the lock is renewed every half lock).
   */
  readonly submitLeaseMs?: number;
  /** Outbound events and the enrolment deadline of the transitions a run makes (follow-up.ts). */
  readonly followUp?: FollowUp;
}
