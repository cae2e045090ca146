/** Owns who hears about a bootstrap: the configured subscribers and their filters by door and reference. */
import type { BootstrapRecord, Door, Origin } from '../record.js';
import type { TimelineEvent } from '../timeline.js';

/** What a subscriber's data function is given: the state event, the record as it is now, the event id. */
export interface EventContext {
  readonly id: string;
  readonly event: TimelineEvent;
  readonly record: BootstrapRecord;
}

export interface Subscriber {
  /** `[a-z0-9-]`: part of the job ids (evt-<bootstrap>-<seq>-<name>). */
  readonly name: string;
  readonly url: string;
  /** HMAC-SHA256 key of the signature header. */
  readonly secret: string;
  /** Only bootstraps from these doors; all when absent. */
  readonly doors?: readonly Door[];
  /** Only bootstraps whose origin reference is one of these (exact, or a prefix ending in `*`). */
  readonly references?: readonly string[];
  /** CloudEvents HTTP binding mode: structured (the whole event in the body) or binary (data in the body). */
  readonly mode: 'structured' | 'binary';
  /** The event's data; default: the event and the bootstrap's status view (eventData). */
  readonly data?: (c: EventContext) => Promise<unknown>;
}

/** Whether a subscriber hears about bootstraps of this origin. */
export function hears(s: Pick<Subscriber, 'doors' | 'references'>, origin: Origin): boolean {
  if (s.doors && !s.doors.includes(origin.door)) return false;
  if (!s.references) return true;
  const ref = origin.reference;
  if (!ref) return false;
  return s.references.some((r) => (r.endsWith('*') ? ref.startsWith(r.slice(0, -1)) : ref === r));
}

/** The job of one event for one subscriber: the same id however often it is published. */
export function eventJobId(bootstrapId: string, seq: number, subscriber: string): string {
  return `evt-${bootstrapId}-${seq}-${subscriber}`;
}

/** The CloudEvents `id`: unique per event with the source, the same for every subscriber and every try. */
export function cloudEventId(bootstrapId: string, seq: number): string {
  return `${bootstrapId}-${seq}`;
}
