import type { Queue } from 'bullmq';
import { addJob, QUEUES, type EventJobData } from '../../queues/catalogue.js';
import type { Publisher } from '../follow-up.js';
import type { BootstrapStore } from '../store/store.js';
import { isStateEvent } from '../timeline.js';
import { eventJobId, hears, type Subscriber } from './subscribers.js';

/**
 * Owns the outbound event stream's producer side. Every state change is a timeline event with
 * a sequence number; publishing queues one job per (state event, subscriber that hears it)
 * under a deterministic id, then raises the bootstrap's `published` mark. BullMQ ignores a
 * second add of a live id, so a publish repeated before the mark moved (a process killed in
 * between, two processes following up the same bootstrap) queues nothing twice; after it, the
 * events are not read again. Delivery is at least once per job (events/deliver.ts); the
 * CloudEvents id lets a subscriber drop a retry it already took.
 */
export class EventPublisher implements Publisher {
  constructor(
    private readonly o: {
      readonly store: BootstrapStore;
      readonly queue: Queue<EventJobData>;
      readonly subscribers: readonly Pick<Subscriber, 'name' | 'doors' | 'references'>[];
    },
  ) {}

  get active(): boolean {
    return this.o.subscribers.length > 0;
  }

  /** Queues the state events of `id` not yet published; returns how many jobs it added. */
  async publishPending(id: string): Promise<number> {
    const mark = await this.o.store.publishMark(id);
    if (!mark) return 0;
    const events = await this.o.store.timeline(id, mark.published);
    if (events.length === 0) return 0;
    const who = this.o.subscribers.filter((s) => hears(s, mark.origin));
    let added = 0;
    for (const e of events.filter(isStateEvent))
      for (const s of who) {
        const data = { bootstrapId: id, seq: e.seq, subscriber: s.name };
        await addJob(this.o.queue, QUEUES.events, data, eventJobId(id, e.seq, s.name));
        added++;
      }
    await this.o.store.markPublished(id, events.at(-1)!.seq);
    return added;
  }
}
