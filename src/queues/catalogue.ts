import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import type { RedisClient } from '../platform/redis/client.js';

/**
 * Every BullMQ queue bootline has: its name, the name of its jobs, their options and what their
 * data holds. Nothing else spells a queue name or job options; producers add with `addJob`,
 * workers and views open queues by these definitions.
 *
 * Job data is deliberately small and never secret: BullMQ stores it in clear text and
 * bull-board displays it. Numbers and texts that must travel are sealed by the producer.
 */
export interface QueueDef<Data> {
  readonly name: string;
  readonly job: string;
  readonly options: JobsOptions;
  /** Type only: the job data this queue carries. */
  readonly data?: Data;
}

/** A bootstrap push: the id only; destination, sealed PIN and credentials live in the record. */
export interface BootstrapJobData {
  readonly bootstrapId: string;
}

/** One DM registration retried on its own, a child of the push job of that bootstrap and round. */
export interface DmRegisterJobData {
  readonly bootstrapId: string;
  readonly round: number;
}

/** A text SMS (one-time codes): `to` masked for people reading the queue, number and text sealed. */
export interface TextSmsJobData {
  readonly to: string;
  readonly toSealed: string;
  readonly textSealed: string;
}

/** The enrolment deadline of one bootstrap and round (a delayed job, added when it is delivered). */
export interface EnrolmentJobData {
  readonly bootstrapId: string;
  readonly round: number;
}

/** A batch of bootstraps (the bulk API): one job per batch, re-run in steps until every row is final. */
export interface BatchJobData {
  readonly batchId: string;
}

/** One outbound event (a bootstrap's timeline entry `seq`) for one subscriber. */
export interface EventJobData {
  readonly bootstrapId: string;
  readonly seq: number;
  readonly subscriber: string;
}

const DAY_S = 24 * 3600;

export const QUEUES = {
  bootstrap: {
    name: 'bootstrap',
    job: 'push',
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
      // Kept long enough that a replayed webhook or retried add hits the existing job id
      // and becomes a no-op (BullMQ only de-duplicates ids while the job key exists).
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    },
  } as QueueDef<BootstrapJobData>,
  dmRegister: {
    name: 'dm-register',
    job: 'register',
    options: {
      // 2 s doubling, with jitter: about 8 minutes in all before the bootstrap fails with it
      // (the push waits in `waiting-children` and fails when its child does).
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
      failParentOnFailure: true,
    },
  } as QueueDef<DmRegisterJobData>,
  textSms: {
    name: 'sms',
    job: 'text',
    options: {
      // A code is useless after its 5-minute expiry: retry briefly, then give up.
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 7 * DAY_S },
    },
  } as QueueDef<TextSmsJobData>,
  enrolment: {
    name: 'enrolment',
    job: 'deadline',
    options: {
      // The deadline only reads and writes Redis: a few quick retries cover a Redis blip.
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    },
  } as QueueDef<EnrolmentJobData>,
  events: {
    name: 'events',
    job: 'deliver',
    options: {
      // 2 s doubling with jitter, ten tries: about half an hour of a subscriber's outage, then
      // a dead letter. Completed jobs are kept a week: their ids (evt-<bootstrap>-<seq>-<subscriber>)
      // make a second publish of the same event a no-op while they exist.
      attempts: 10,
      backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    },
  } as QueueDef<EventJobData>,
  batch: {
    name: 'batch',
    job: 'run',
    options: {
      // A step that fails (Redis away) is tried again; the batch's state is all in Redis, so nothing is lost.
      attempts: 1_000,
      backoff: { type: 'fixed', delay: 2_000 },
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    },
  } as QueueDef<BatchJobData>,
} as const;

/** Adds one job under the queue's job name and options; `jobId` makes the add idempotent. */
export function addJob<D>(
  queue: Queue<D>,
  def: QueueDef<D>,
  data: D,
  jobId: string,
  extra: JobsOptions = {},
): Promise<Job<D>> {
  // Queue<D>'s add is typed through BullMQ's data-type extraction, which a generic D defeats.
  return (queue as Queue).add(def.job, data, { ...def.options, ...extra, jobId }) as Promise<Job<D>>;
}

/** Where a process's queues live: the key prefix, a connection, and the log for connection errors. */
export interface QueueHome {
  readonly prefix: string;
  readonly connection: RedisClient;
  readonly logger: Logger;
}

/**
 * Opens a queue by its definition. A connection error is logged, never thrown: the web keeps
 * answering calls while Redis is away, and /readyz reports it.
 */
export function openQueue<D>(def: QueueDef<D>, home: QueueHome): Queue<D> {
  const queue = new Queue<D>(def.name, { prefix: home.prefix, connection: home.connection });
  queue.on('error', (err) => home.logger.warn({ queue: def.name, err: err.message }, 'queue connection error'));
  return queue;
}

/**
 * Worker settings for push work (bootstrap, dm-register, text SMS). A job whose worker died
 * keeps its lock for `lockMs`; the stalled check (same period) then puts it back in `wait`
 * and another run continues where the recorded segments end. `maxStalled` bounds re-runs of
 * a job that kills its worker.
 */
export function pushWorkerOptions(w: { concurrency: number; lockMs: number; maxStalled: number }) {
  return {
    concurrency: w.concurrency,
    lockDuration: w.lockMs,
    stalledInterval: w.lockMs,
    maxStalledCount: w.maxStalled,
  } as const;
}
