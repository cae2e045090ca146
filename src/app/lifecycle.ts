import { Worker, type Queue } from 'bullmq';
import type { Config } from '../config/config.js';
import { createEnrolmentProcessor } from '../deliveries/enrolment.js';
import { createFollowUp, type FollowUp } from '../deliveries/follow-up.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { Logger } from '../platform/logger.js';
import { createRedis, type RedisClient } from '../platform/redis/client.js';
import { closeWorker } from '../queues/close.js';
import { openQueue, QUEUES, type EnrolmentJobData } from '../queues/catalogue.js';

/** What a process needs of the lifecycle past a transition: the follow-up and the queues it adds to. */
export interface LifecycleParts {
  readonly followUp: FollowUp;
  readonly queues: { readonly enrolment: Queue<EnrolmentJobData> };
  /** Starts the lifecycle's workers (the worker process only): the enrolment deadline. */
  startWorkers(): void;
  close(ms: number): Promise<void>;
}

/**
 * The follow-up of transitions (deliveries/follow-up.ts) over the queues it feeds, for the web
 * (intake, retries, DM session signals) and the worker (push runs, receipts, deadlines). The
 * enrolment deadline is scheduled only where a bootstrap can become delivered (the worker) and
 * only when ENROLMENT_WINDOW_S tracks enrolment.
 */
export function createLifecycle(
  config: Config,
  o: {
    prefix: string;
    logger: Logger;
    store: BootstrapStore;
    kind: 'fast' | 'patient';
    role: 'web' | 'worker';
    /** The process's queue connection, when it has one to share (the web's); else one of its own. */
    queueConnection?: RedisClient;
  },
): LifecycleParts {
  const conns: RedisClient[] = [];
  const conn = (name: string) => {
    const c = createRedis(config, o.kind, { connectionName: `bootline-${o.role}-${name}` });
    conns.push(c);
    return c;
  };
  const home = { prefix: o.prefix, connection: o.queueConnection ?? conn('lifecycle-queue'), logger: o.logger };
  const queues = { enrolment: openQueue(QUEUES.enrolment, home) };
  const windowS = config.lifecycle.enrolmentWindowS;
  const followUp = createFollowUp({
    enrolment: o.role === 'worker' ? { queue: queues.enrolment, windowS } : null,
    state: (id) => o.store.stateOf(id),
    logger: o.logger,
  });
  const workers: Worker[] = [];
  return {
    followUp,
    queues,
    startWorkers: () => {
      if (windowS <= 0) return;
      const w = new Worker<EnrolmentJobData>(
        QUEUES.enrolment.name,
        createEnrolmentProcessor({ store: o.store, windowS, followUp, logger: o.logger }),
        { prefix: o.prefix, connection: conn('worker-enrolment'), concurrency: 5 },
      );
      w.on('error', (err) => o.logger.warn({ worker: 'enrolment', err: err.message }, 'worker error'));
      workers.push(w);
    },
    close: async (ms) => {
      await Promise.all(workers.map((w) => closeWorker(w, ms)));
      for (const q of Object.values(queues)) await q.close();
      for (const c of conns) c.disconnect();
    },
  };
}
