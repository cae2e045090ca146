/**
 * Owns what follows a transition: its outbound events (events/publish.ts) and, when a
 * bootstrap is delivered while enrolment is tracked, the deadline of its enrolment (a delayed
 * job per bootstrap and round). Both are idempotent, so whoever causes or re-observes a
 * transition calls it — the push run and its re-runs, the receipt handler (the SMSC sends a
 * deliver_sm again until it is answered), the DM session route (the DM server retries its
 * POST), the deadline job — and a process killed between the transition and its follow-up is
 * healed by the retry that observes the same state again. An outcome (delivered, enrolled,
 * failed, …) is also counted per device profile (store/outcome-store.ts), once.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import { addJob, QUEUES, type EnrolmentJobData } from '../queues/catalogue.js';
import type { BootstrapStatus } from './record.js';

/** What a caller knows of the transition it made (skips a read), or nothing (the follow-up reads it). */
export type FollowUp = (
  id: string,
  known?: { readonly status: BootstrapStatus | null; readonly round: number },
) => Promise<void>;

/** The outbound events of a bootstrap not yet queued (events/publish.ts). */
export interface Publisher {
  publishPending(id: string): Promise<number>;
  /** Whether anyone listens: without subscribers the follow-up costs nothing. */
  readonly active: boolean;
}

export interface FollowUpOptions {
  readonly publisher?: Publisher | null;
  /** Enrolment tracking: the deadline queue and window; null when no DM server reports sessions. */
  readonly enrolment?: { readonly queue: Queue<EnrolmentJobData>; readonly windowS: number } | null;
  /** Reads status and round when the caller did not say (one HMGET). */
  readonly state: (id: string) => Promise<{ status: BootstrapStatus; round: number } | null>;
  readonly logger: Logger;
  /**
   * Counts the outcome events of a bootstrap not yet counted (store/outcome-store.ts); run when
   * the caller reports an outcome state, or does not say which state it saw.
   */
  readonly outcomes?: ((id: string) => Promise<void>) | null;
}

const OUTCOME_STATES: ReadonlySet<BootstrapStatus | null> = new Set([
  'delivered',
  'enrolled',
  'failed',
  'expired',
  'not-enrolled',
]);

/** The deadline job of one bootstrap and round: one per round, whoever schedules it. */
export function enrolmentJobId(id: string, round: number): string {
  return `enrol-${id}-r${round}`;
}

export function createFollowUp(o: FollowUpOptions): FollowUp {
  const publisher = o.publisher?.active ? o.publisher : null;
  const enrolment = o.enrolment && o.enrolment.windowS > 0 ? o.enrolment : null;
  const outcomes = o.outcomes ?? null;
  return async (id, known) => {
    // A metric is not worth failing a transition's follow-up: a later one of this bootstrap counts what this missed.
    if (outcomes && (!known || OUTCOME_STATES.has(known.status)))
      await outcomes(id).catch((err: unknown) =>
        o.logger.warn({ bootstrapId: id, err: (err as Error).message }, 'outcome not counted yet'),
      );
    if (!publisher && !enrolment) return;
    if (enrolment) {
      const s = known ?? (await o.state(id));
      if (s?.status === 'delivered')
        await addJob(
          enrolment.queue,
          QUEUES.enrolment,
          { bootstrapId: id, round: s.round },
          enrolmentJobId(id, s.round),
          { delay: enrolment.windowS * 1000 },
        );
    }
    if (publisher) await publisher.publishPending(id);
  };
}
