import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { isBootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import { createRedis, type RedisClient, type RedisTarget } from '../../platform/redis/client.js';
import type { AbuseGuard } from '../../policy/limits.js';
import { addJob, QUEUES, type BatchJobData } from '../../queues/catalogue.js';
import { closeWorker } from '../../queues/close.js';
import type { BootstrapIntake, BootstrapState } from '../intake.js';
import type { BatchRow } from './rows.js';
import type { BatchStore, Transition } from './store.js';

export type { BatchJobData };
/** Open rows looked at per step. */
const LOOK = 500;
/** A row whose receipt never comes stops being waited for after this. */
const WAIT_FOR_RECEIPTS_MS = 72 * 3600_000;

export async function enqueueBatch(queue: Queue<BatchJobData>, batchId: string): Promise<void> {
  await addJob(queue, QUEUES.batch, { batchId }, batchId);
}

export interface BatchRunnerDeps {
  readonly store: BatchStore;
  readonly intake: BootstrapIntake;
  readonly guard: AbuseGuard;
  /** Rows of one batch queued and not yet submitted at once (BATCH_WINDOW). */
  readonly window: number;
  readonly logger: Logger;
}

const requestId = (batchId: string, row: number) => `${batchId}-${row}`;

/**
 * One step of a batch: look at the open rows' bootstraps (their states move the counts), then
 * ask for the next rows while fewer than `window` of the batch are queued — so a batch never
 * floods the push queue ahead of the hotline, and its pushes go out at the SMSC's pace (the
 * workers' shared TPS limit). Returns 'done' or how long to wait before the next step.
 *
 * Crash safety: a row's state is recorded (with the cursor) after it was asked for; a step
 * killed in between is re-run, finds the bootstrap already there (the intake is idempotent
 * by row, and looked up first) and records it: no row is pushed twice, none is skipped.
 */
export async function batchStep(deps: BatchRunnerDeps, batchId: string): Promise<'done' | number> {
  let meta = await deps.store.meta(batchId);
  if (!meta || !['running', 'waiting'].includes(meta.phase)) return 'done';
  const due = await deps.store.due(batchId, LOOK);
  if (due.length) await deps.store.apply(batchId, await look(deps, batchId, due));
  let fed = 0;
  if (meta.phase === 'running') {
    meta = (await deps.store.meta(batchId))!;
    const free = deps.window - meta.counts.queued;
    const last = Math.min(meta.total, meta.cursor + free - 1);
    if (free > 0 && meta.cursor <= last) {
      const rows = Array.from({ length: last - meta.cursor + 1 }, (_, i) => meta!.cursor + i);
      const transitions = await feed(deps, batchId, rows);
      fed = transitions.length;
      await deps.store.apply(batchId, transitions, last + 1);
    }
    if (last >= meta.total) await deps.store.fed(batchId);
  }
  meta = (await deps.store.meta(batchId))!;
  if (meta.phase === 'waiting') {
    const stale = Date.now() - Date.parse(meta.fedAt ?? meta.updatedAt) > WAIT_FOR_RECEIPTS_MS;
    if ((await deps.store.openCount(batchId)) === 0 || stale) {
      await deps.store.done(batchId);
      deps.logger.info({ door: 'batch', batchId, counts: meta.counts }, 'batch done');
      return 'done';
    }
  }
  return fed > 0 || meta.counts.queued > 0 ? 200 : 1_000;
}

/** The states of open rows' bootstraps now; a row still queued is looked at again soon. */
async function look(deps: BatchRunnerDeps, batchId: string, rows: readonly number[]): Promise<Transition[]> {
  const now = Date.now();
  const states = await Promise.all(rows.map((r) => deps.intake.status(deps.intake.idFor(requestId(batchId, r)))));
  return rows.map((row, i): Transition => {
    // A batch counts deliveries: what the handset did with the message afterwards is the record's.
    const st = rowState(states[i]?.state);
    if (!st) return { row, state: 'failed', nextAt: now, error: 'the bootstrap record is gone (purged or expired)' };
    return {
      row,
      state: st,
      nextAt: now + (st === 'queued' ? 250 : 2_000),
      ...(states[i]!.error ? { error: states[i]!.error } : {}),
    };
  });
}

async function feed(deps: BatchRunnerDeps, batchId: string, rows: readonly number[]): Promise<Transition[]> {
  const [states, data] = await Promise.all([deps.store.states(batchId, rows), deps.store.rows(batchId, rows)]);
  const todo = rows.filter((_, i) => !states[i]);
  return Promise.all(todo.map((row) => feedRow(deps, batchId, row, data.get(row))));
}

async function feedRow(deps: BatchRunnerDeps, batchId: string, row: number, d: BatchRow | undefined) {
  const nextAt = Date.now() + 250;
  const refused = (error: string): Transition => ({ row, state: 'refused', nextAt, error });
  if (!d) return refused('the row cannot be read (sealed with another key?)');
  const id = requestId(batchId, row);
  const existing = await deps.intake.status(deps.intake.idFor(id));
  if (existing) return { row, state: rowState(existing.state)!, nextAt } satisfies Transition;
  const limit = await deps.guard.allow('bootstrap', { destination: d.msisdn });
  if (!limit.ok) return refused(`RATE_LIMITED: the ${limit.scope} limit (free again in ${limit.retryAfterS} s)`);
  try {
    const accepted = await deps.intake.request({
      id,
      msisdn: d.msisdn,
      origin: { door: 'batch', by: `${batchId} row ${row}`, ...(d.reference ? { reference: d.reference } : {}) },
      profile: d.profile,
      sec: d.sec,
      ...(d.imei ? { imei: d.imei } : {}),
      ...(d.pin ? { pin: d.pin } : {}),
    });
    return { row, state: rowState(accepted.state)!, nextAt } satisfies Transition;
  } catch (err) {
    // A refusal of this row (policy, a block) is its answer; anything else fails the step, which is retried.
    if (isBootlineError(err) && err.retry === 'permanent') return refused(`${err.code}: ${err.message}`);
    throw err;
  }
}

/** A bootstrap's state as a batch row's: enrolled and not-enrolled both came after delivery. */
function rowState(state: BootstrapState | undefined): Transition['state'] | undefined {
  return state === 'enrolled' || state === 'not-enrolled' ? 'delivered' : state;
}

export interface BatchWorker {
  readonly queue: Queue<BatchJobData>;
  close(ms: number): Promise<void>;
}

/**
 * The batch worker: each job is one batch, run as a chain of short steps (moveToDelayed), so
 * any process picks a batch up where it stands; a killed process's step is re-run by the
 * stalled check after `lockMs`, as often as it takes (a batch is resumable, not poison).
 */
export function startBatchWorker(o: {
  readonly redis: string | RedisTarget;
  readonly prefix: string;
  readonly deps: BatchRunnerDeps;
  readonly lockMs: number;
  readonly concurrency?: number;
}): BatchWorker {
  const conns: RedisClient[] = [];
  const conn = (name: string) => {
    const c = createRedis(o.redis, 'patient', { connectionName: `bootline-${name}` });
    conns.push(c);
    return c;
  };
  const queue = new Queue<BatchJobData>(QUEUES.batch.name, { prefix: o.prefix, connection: conn('batch-queue') });
  const worker = new Worker<BatchJobData>(
    QUEUES.batch.name,
    async (job: Job<BatchJobData>, token?: string) => {
      const next = await batchStep(o.deps, job.data.batchId);
      if (next === 'done') return;
      await job.moveToDelayed(Date.now() + next, token);
      throw new DelayedError();
    },
    {
      prefix: o.prefix,
      connection: conn('batch-worker'),
      concurrency: o.concurrency ?? 4,
      lockDuration: o.lockMs,
      stalledInterval: o.lockMs,
      maxStalledCount: 1_000,
    },
  );
  worker.on('error', (err) => o.deps.logger.warn({ worker: 'batch', err: err.message }, 'worker error'));
  worker.on('failed', (job, err) =>
    o.deps.logger.warn({ worker: 'batch', batchId: job?.data.batchId, err: err.message }, 'batch step failed'),
  );
  queue.on('error', (err) => o.deps.logger.warn({ err: err.message }, 'batch queue error'));
  return {
    queue,
    close: async (ms) => {
      await closeWorker(worker, ms);
      await queue.close();
      for (const c of conns) c.disconnect();
    },
  };
}
