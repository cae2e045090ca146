import type { Queue } from 'bullmq';
import { eventType } from '../deliveries/events/deliver.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { BootlineError } from '../errors.js';
import type { EventJobData } from '../queues/catalogue.js';
import { when } from './bootstrap-page.js';
import { html, type Safe } from './html.js';

export interface DeadLetterDeps {
  /** The outbound events queue: its failed set is the dead-letter queue GET /api/dead-letter lists. */
  readonly queue: Queue<EventJobData>;
  readonly store: BootstrapStore;
}

export interface DeadLetter {
  readonly jobId: string;
  readonly subscriber: string;
  readonly eventType: string;
  readonly bootstrapId: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: string | null;
}

/** Event job ids are `evt-<bootstrap id>-<seq>-<subscriber>` (events/subscribers.ts). */
const JOB_ID = /^evt-[A-Za-z0-9_.-]{3,200}$/;

/**
 * The outbound events' dead letters, newest first: the same source as GET /api/dead-letter
 * (the events queue's failed set), with the event type read from the bootstrap's timeline.
 */
export async function eventDeadLetters(d: DeadLetterDeps, limit = 50) {
  const [total, jobs] = await Promise.all([d.queue.getFailedCount(), d.queue.getFailed(0, limit - 1)]);
  const letters = await Promise.all(
    jobs.map(async (j): Promise<DeadLetter> => {
      const e = await d.store.timelineEvent(j.data.bootstrapId, j.data.seq).catch(() => null);
      return {
        jobId: j.id ?? '',
        subscriber: j.data.subscriber,
        eventType: e ? eventType(e.event) : `event #${j.data.seq} (gone)`,
        bootstrapId: j.data.bootstrapId,
        attempts: j.attemptsMade,
        lastError: j.failedReason ?? '',
        failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      };
    }),
  );
  return { total, letters };
}

/**
 * Sends a dead letter again, as bull-board's retry does for operators: the job goes back to
 * waiting with its tries counted afresh; the subscriber gets the same CloudEvents id (it may
 * drop a repeat it already took).
 */
export async function retryDeadLetter(d: DeadLetterDeps, jobId: unknown): Promise<string> {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) throw new BootlineError('BAD_REQUEST', 'malformed job id');
  const job = await d.queue.getJob(jobId);
  if (!job || !(await job.isFailed())) throw new BootlineError('NOT_FOUND', 'no dead letter with that id');
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return jobId;
}

export function deadLettersPage(
  o: { total: number; letters: readonly DeadLetter[] } | null,
  flash?: { retried?: string },
): Safe {
  return html`<h1>Event dead letters</h1>
<p>Outbound CloudEvents a subscriber refused (a 4xx other than 408/429) or never took through every try. \
Also as JSON: <a href="/api/dead-letter">/api/dead-letter</a> (queue <code>events</code>).</p>
${flash?.retried ? html`<p class="ok" role="status" id="retried">Sent again: <code>${flash.retried}</code>.</p>` : null}
<div id="dl-error" role="alert" class="error"></div>
${
  o === null
    ? html`<p class="error">Could not read the events queue.</p>`
    : o.letters.length === 0
      ? html`<p id="no-dead-letters">No dead letters.</p>`
      : html`<table class="list" id="dead-letters"><caption>${o.total} dead letter(s), newest first</caption>
<thead><tr><th scope="col">Failed</th><th scope="col">Subscriber</th><th scope="col">Event type</th>\
<th scope="col">Bootstrap</th><th scope="col">Tries</th><th scope="col">Last error</th>\
<th scope="col"><span class="sr">Actions</span></th></tr></thead>
<tbody>${o.letters.map(
          (l) => html`<tr><td>${when(l.failedAt)}</td><td>${l.subscriber}</td><td><code>${l.eventType}</code></td>\
<td><a href="/console/bootstraps/${l.bootstrapId}">${l.bootstrapId}</a></td><td>${l.attempts}</td>\
<td>${l.lastError}</td><td><button type="button" class="send-again" data-job="${l.jobId}">Send again</button>\
</td></tr>`,
        )}</tbody></table>`
}`;
}
