import { Worker, type Processor, type Queue } from 'bullmq';
import { agentSubscriber } from '../agents/webhook.js';
import { TransferStore } from '../agents/transfers.js';
import type { Config } from '../config/config.js';
import { createEnrolmentProcessor } from '../deliveries/enrolment.js';
import { createEventProcessor } from '../deliveries/events/deliver.js';
import { EventPublisher } from '../deliveries/events/publish.js';
import type { Subscriber } from '../deliveries/events/subscribers.js';
import { createFollowUp, type FollowUp } from '../deliveries/follow-up.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { countOutcomes } from '../deliveries/store/outcome-store.js';
import type { Logger } from '../platform/logger.js';
import { createRedis, type RedisClient } from '../platform/redis/client.js';
import { closeWorker } from '../queues/close.js';
import { openQueue, pushWorkerOptions, QUEUES, type EnrolmentJobData, type EventJobData } from '../queues/catalogue.js';

/** What a process needs of the lifecycle past a transition: the follow-up, the publisher and their queues. */
export interface LifecycleParts {
  readonly followUp: FollowUp;
  readonly publisher: EventPublisher;
  readonly subscribers: readonly Subscriber[];
  readonly queues: { readonly enrolment: Queue<EnrolmentJobData>; readonly events: Queue<EventJobData> };
  /** Starts the lifecycle's workers (the worker process only): enrolment deadlines, event delivery. */
  startWorkers(): void;
  close(ms: number): Promise<void>;
}

/**
 * The subscribers of the outbound event stream: EVENT_SUBSCRIBERS, and the contact centre's
 * webhook (AGENT_WEBHOOK_URL) for bootstraps of calls agents handed in.
 */
export function subscribersOf(config: Config, transfers: TransferStore): Subscriber[] {
  const configured: Subscriber[] = config.lifecycle.events.subscribers.map((s) => ({
    name: s.name,
    url: s.url,
    secret: s.secret,
    mode: s.mode,
    ...(s.doors ? { doors: s.doors } : {}),
    ...(s.references ? { references: s.references } : {}),
  }));
  const webhook = config.agent?.webhook;
  return webhook ? [...configured, agentSubscriber(webhook, transfers)] : configured;
}

export interface LifecycleOptions {
  readonly prefix: string;
  readonly logger: Logger;
  readonly store: BootstrapStore;
  /** The process's record connection (transfers for the contact centre's event data). */
  readonly redis: RedisClient;
  readonly kind: 'fast' | 'patient';
  readonly role: 'web' | 'worker';
  /** The process's queue connection, when it has one to share (the web's); else one of its own. */
  readonly queueConnection?: RedisClient;
}

/**
 * The follow-up of transitions (deliveries/follow-up.ts) over the queues it feeds, for the web
 * (intake, retries, DM session signals) and the worker (push runs, receipts, deadlines): the
 * outbound events of every transition, and the enrolment deadline where a bootstrap can become
 * delivered (the worker) when ENROLMENT_WINDOW_S tracks enrolment.
 */
export function createLifecycle(config: Config, o: LifecycleOptions): LifecycleParts {
  const conns: RedisClient[] = [];
  const conn = (name: string) => {
    const c = createRedis(config, o.kind, { connectionName: `bootline-${o.role}-${name}` });
    conns.push(c);
    return c;
  };
  const home = { prefix: o.prefix, connection: o.queueConnection ?? conn('lifecycle-queue'), logger: o.logger };
  const queues = { enrolment: openQueue(QUEUES.enrolment, home), events: openQueue(QUEUES.events, home) };
  const windowS = config.lifecycle.enrolmentWindowS;
  const subscribers = subscribersOf(config, new TransferStore(o.redis));
  const publisher = new EventPublisher({ store: o.store, queue: queues.events, subscribers });
  const followUp = createFollowUp({
    publisher,
    enrolment: o.role === 'worker' ? { queue: queues.enrolment, windowS } : null,
    state: (id) => o.store.stateOf(id),
    logger: o.logger,
    outcomes: (id) => countOutcomes(o.redis, id),
  });
  const workers: Worker[] = [];
  const start = <D>(name: string, queue: string, processor: Processor<D>) => {
    // Locks and stalled re-runs as the push workers have them (WORKER_LOCK_MS, WORKER_MAX_STALLED):
    // a killed worker's deadline or delivery is re-run as soon as its lock lapses.
    const w = new Worker<D>(queue, processor, {
      prefix: o.prefix,
      connection: conn(`worker-${name}`),
      ...pushWorkerOptions(config.worker),
      concurrency: 5,
    });
    w.on('error', (err) => o.logger.warn({ worker: name, err: err.message }, 'worker error'));
    w.on('failed', (job, err) =>
      o.logger.warn(
        { worker: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        'job attempt failed',
      ),
    );
    workers.push(w);
  };
  return {
    followUp,
    publisher,
    subscribers,
    queues,
    startWorkers: () => {
      if (windowS > 0)
        start<EnrolmentJobData>(
          'enrolment',
          QUEUES.enrolment.name,
          createEnrolmentProcessor({ store: o.store, windowS, followUp, logger: o.logger }),
        );
      if (subscribers.length > 0)
        start<EventJobData>(
          'events',
          QUEUES.events.name,
          createEventProcessor({
            store: o.store,
            subscribers: new Map(subscribers.map((s) => [s.name, s])),
            source: config.lifecycle.events.source ?? config.publicBaseUrl,
            logger: o.logger,
          }),
        );
    },
    close: async (ms) => {
      await Promise.all(workers.map((w) => closeWorker(w, ms)));
      for (const q of Object.values(queues)) await q.close();
      for (const c of conns) c.disconnect();
    },
  };
}
