import { UnrecoverableError, type Job } from 'bullmq';
import { CloudEvent, HTTP } from 'cloudevents';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../dm/signature.js';
import { BootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import type { EventJobData } from '../../queues/catalogue.js';
import { toJobError } from '../../queues/job-error.js';
import type { BootstrapStore } from '../store/store.js';
import { bootstrapView } from '../view.js';
import { cloudEventId, type EventContext, type Subscriber } from './subscribers.js';

/** The same on every try of one event, for every subscriber: the CloudEvents id, for receivers that de-duplicate. */
export const EVENT_ID_HEADER = 'x-bootline-event-id';

/** CloudEvents `type` of a state: reverse-DNS, one per lifecycle state (lifecycle.ts). */
export const eventType = (state: string) => `org.bootline.bootstrap.${state}`;

/** The default data: the state event and the bootstrap as the status API shows a non-operator (number masked). */
export async function eventData(c: EventContext): Promise<unknown> {
  return { event: c.event, bootstrap: bootstrapView(c.record) };
}

export interface EventDeliveryDeps {
  readonly store: BootstrapStore;
  /** By name: the subscriber a job names. */
  readonly subscribers: ReadonlyMap<string, Subscriber>;
  /** CloudEvents `source`: EVENTS_SOURCE, default PUBLIC_BASE_URL. */
  readonly source: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/**
 * The events queue's job: one state event to one subscriber, as a CloudEvents 1.0 HTTP message
 * (structured or binary mode, the `cloudevents` SDK) signed like bootline's other webhooks:
 * `x-bootline-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
 * `x-bootline-timestamp` (Unix seconds). 2xx = done; 408, 429, 5xx and network errors are
 * retried with back-off; any other 4xx is a refusal for good; either way a job that gives up is
 * a dead letter (GET /api/dead-letter, the dashboard).
 */
export function createEventProcessor(d: EventDeliveryDeps) {
  return async (job: Job<EventJobData>): Promise<void> => {
    try {
      await deliver(d, job);
    } catch (err) {
      throw await toJobError(err);
    }
  };
}

async function message(d: EventDeliveryDeps, s: Subscriber, data: EventJobData) {
  const [record, event] = await Promise.all([
    d.store.get(data.bootstrapId),
    d.store.timelineEvent(data.bootstrapId, data.seq),
  ]);
  if (!record || event?.seq !== data.seq) throw new UnrecoverableError('bootstrap or event gone');
  const id = cloudEventId(data.bootstrapId, data.seq);
  const ce = new CloudEvent({
    id,
    type: eventType(event.event),
    source: d.source,
    subject: data.bootstrapId,
    time: event.at,
    datacontenttype: 'application/json',
    data: await (s.data ?? eventData)({ id, event, record }),
  });
  return { id, ...(s.mode === 'binary' ? HTTP.binary(ce) : HTTP.structured(ce)) };
}

async function deliver(d: EventDeliveryDeps, job: Job<EventJobData>): Promise<void> {
  const s = d.subscribers.get(job.data.subscriber);
  if (!s) throw new UnrecoverableError(`no subscriber ${job.data.subscriber} configured`);
  const m = await message(d, s, job.data);
  const body = String(m.body);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(s.url, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
    headers: {
      ...(m.headers as Record<string, string>),
      [TIMESTAMP_HEADER]: String(ts),
      [SIGNATURE_HEADER]: signBody(s.secret, ts, body),
      [EVENT_ID_HEADER]: m.id,
    },
  }).catch((err: Error) => {
    throw new BootlineError('EVENT_SUBSCRIBER_UNAVAILABLE', `${s.name} unreachable: ${err.message}`);
  });
  await res.body?.cancel();
  if (res.ok) {
    d.logger.info({ subscriber: s.name, event: m.id, attempt: job.attemptsMade + 1 }, 'event delivered');
    return;
  }
  const retry = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new BootlineError(
    retry ? 'EVENT_SUBSCRIBER_UNAVAILABLE' : 'EVENT_SUBSCRIBER_REFUSED',
    `${s.name} answered HTTP ${res.status}`,
  );
}
