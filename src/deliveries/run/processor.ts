import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { submitAddress, submitFields } from '../../codec/sms/submit-fields.js';
import { BootlineError, isBootlineError } from '../../errors.js';
import { maskPhone } from '../../platform/mask.js';
import type { BootstrapJobData } from '../../queues/catalogue.js';
import { toJobError } from '../../queues/job-error.js';
import type { BootstrapRecord, BootstrapStatus, DmCredentials } from '../record.js';
import type { ProcessorDeps } from './deps.js';
import { failureOf } from './failure.js';
import { RunRecorder } from './recorder.js';
import { ensureRegistered } from './register-step.js';
import { credentialsMaker } from './registration.js';
import { buildSegments, needsPin, secFor, secMethodOf, type Segment } from './segments.js';

export type { ProcessorDeps } from './deps.js';

/**
 * Owns a push run, the bootstrap queue's job: register the device's credentials with the DM server (inline first, then
 * through the dm-register queue as a child this job waits for), build the Bootstrap Message
 * the record asks for (profile, SEC method, the PIN the door gave), segment it, and submit
 * segment by segment. A segment whose message id is recorded is never submitted again, so
 * retries and stalled-job re-runs re-send only what the SMSC did not acknowledge.
 */
export function createBootstrapProcessor(deps: ProcessorDeps) {
  return async (
    job: Job<BootstrapJobData>,
    token?: string,
  ): Promise<{ segments: number; status: BootstrapStatus | null }> => {
    const { bootstrapId } = job.data;
    const run: Run = { owner: token ?? randomUUID(), registeredNow: false, recorder: null };
    try {
      return await pushBootstrap(deps, job, token, run);
    } catch (err) {
      // A run that failed lets go of the submit lease at once (its retry need not wait it out),
      // and records an inline registration that no segment write took along.
      await Promise.all([
        deps.store.releaseSubmit(bootstrapId, run.owner),
        (run.recorder ? run.recorder.registrationUnrecorded : run.registeredNow)
          ? deps.store.markRegistered(bootstrapId)
          : null,
      ]).catch(() => undefined);
      if (isBootlineError(err) && err.retry === 'permanent') {
        await deps.store.fail(bootstrapId, 'failed', err.code, err.message, '', failureOf(err));
        await deps.followUp?.(bootstrapId).catch(() => undefined);
      }
      throw await toJobError(err, { rateLimit: deps.rateLimit });
    }
  };
}

/** What the failure path needs to know about a run: its lease owner, and an inline registration not yet written. */
interface Run {
  readonly owner: string;
  registeredNow: boolean;
  recorder: RunRecorder | null;
}

type Opened =
  | { readonly queued: false; readonly rec: BootstrapRecord }
  | {
      readonly queued: true;
      readonly rec: BootstrapRecord;
      readonly pin: string | null;
      readonly imei: string | null;
      readonly cred: DmCredentials;
      readonly at: number;
    };

const leaseMs = (deps: ProcessorDeps) => deps.submitLeaseMs ?? 30_000;

/**
 * Claims the submit lease and reads record, segments, PIN and credentials in one round trip
 * (store.startRun). One run at a time past this point (store.releaseSubmit explains why).
 */
async function openRun(deps: ProcessorDeps, id: string, owner: string): Promise<Opened> {
  const at = performance.now();
  const snap = await deps.store.startRun(id, owner, leaseMs(deps), credentialsMaker(deps.config.dmServer.id, id));
  if (!snap) throw new BootlineError('BOOTSTRAP_NOT_FOUND', `no record for ${id}`);
  const { rec, pin, cred, imei } = snap;
  // Already past queued (a re-run after the status was written, or receipts got there first).
  if (rec.status !== 'queued') return { queued: false, rec };
  if (pin === null && needsPin(secMethodOf(deps, rec)))
    throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `PIN for ${id} is gone or unreadable`);
  if (cred === null) throw new BootlineError('BOOTSTRAP_SECRET_EXPIRED', `credentials for ${id} unreadable`);
  return { queued: true, rec, pin, cred, imei, at };
}

/**
 * Waits are the cost of a push. Two Redis round trips: openRun, and one write per
 * burst of submit_sm_resps (RunRecorder), the last of which also marks the run submitted.
 * Between them the DM registration and the segments, submitted back to back (one bind keeps
 * their order on the wire, the window bounds them). The lease is claimed again right before
 * the submits only if a slow step may have let it run out: while it has not, no other run
 * can have claimed it, so the segments read at the start are still the truth.
 */
async function pushBootstrap(
  deps: ProcessorDeps,
  job: Job<BootstrapJobData>,
  token: string | undefined,
  run: Run,
): Promise<{ segments: number; status: BootstrapStatus | null }> {
  const id = job.data.bootstrapId;
  let open = await openRun(deps, id, run.owner);
  if (!open.queued) return settled(deps, open.rec);
  const { rec, cred } = open;
  run.registeredNow = (await ensureRegistered(deps, job, rec, cred, token)) === 'now';
  const segments = buildSegments(deps, rec, cred, await secFor(deps, rec, open.pin), open.imei);
  // A quarter of the TTL: the submits may still wait for a TPS slot or a window slot after this.
  if (performance.now() - open.at > leaseMs(deps) / 4) open = await openRun(deps, id, run.owner);
  if (!open.queued) return settled(deps, open.rec);
  const done = new Set(open.rec.segmentStates.map((s) => s.segment));
  const todo = segments.filter((seg) => !done.has(seg.index));
  const recorder = (run.recorder = new RunRecorder(
    (segs, finish, reg) =>
      deps.store.recordRun(id, segs, {
        round: rec.round,
        segments: segments.length,
        registered: reg,
        finish,
        owner: run.owner,
      }),
    segments.length - todo.length,
    segments.length,
    run.registeredNow,
  ));
  if (todo.length > 0) await submitSegments(deps, rec, todo, recorder);
  await recorder.finish();
  const status = recorder.status;
  await deps.followUp?.(id, { status, round: rec.round });
  if (deps.logger.isLevelEnabled('info'))
    deps.logger.info(
      { bootstrapId: id, to: maskPhone(rec.msisdn), segments: segments.length, status },
      'bootstrap submitted',
    );
  return { segments: segments.length, status };
}

/**
 * A run that finds its bootstrap past queued (a re-run after the write that ended the first,
 * receipts that got there first) follows it up again: what a killed run did not publish is.
 */
async function settled(
  deps: ProcessorDeps,
  rec: BootstrapRecord,
): Promise<{ segments: number; status: BootstrapStatus | null }> {
  await deps.followUp?.(rec.id, { status: rec.status, round: rec.round });
  return { segments: rec.segments ?? 0, status: rec.status };
}

/** Submits the segments concurrently; each one's message id is recorded as its response arrives. */
async function submitSegments(
  deps: ProcessorDeps,
  rec: BootstrapRecord,
  todo: readonly Segment[],
  recorder: RunRecorder,
): Promise<void> {
  const address = submitAddress(deps.config.sms.sourceAddr, rec.msisdn);
  // The destination is checked at the last hop for every submit; one job asks about one number once.
  const checked = new Set<string>();
  const results = await Promise.allSettled(
    todo.map(async (seg) => {
      const { messageId } = await deps.submit(submitFields(seg, address), checked);
      deps.refs.remember(messageId, { id: rec.id, round: rec.round, index: seg.index });
      await recorder.add({ index: seg.index, messageId });
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
