import type { SmscRef } from '../store/store.js';

/**
 * Owns this process's memory of SMSC message id → segment, for the segments it submitted
 * recently. The push processor remembers each id as its submit_sm_resp arrives; the receipt
 * handler reads it first. The receipt usually comes back on the bind that submitted the
 * message, so the worker that recorded the id in Redis skips reading it back (one round trip
 * per receipt). Redis stays the record: a miss (another worker, a restart, an evicted entry)
 * reads it from there. The worker's composition makes one index per SMPP client and hands it
 * to both sides; two stacks in one process (tests) have two, as their SMSCs' ids can coincide.
 */
export class SmscRefIndex {
  private readonly refs = new Map<string, SmscRef>();

  /** `maxEntries` bounds the memory: the oldest id goes first (Map keeps insertion order). */
  constructor(private readonly maxEntries = 20_000) {}

  remember(messageId: string, ref: SmscRef): void {
    this.refs.set(messageId, ref);
    if (this.refs.size > this.maxEntries) this.refs.delete(this.refs.keys().next().value!);
  }

  get(messageId: string): SmscRef | undefined {
    return this.refs.get(messageId);
  }

  has(messageId: string): boolean {
    return this.refs.has(messageId);
  }

  get size(): number {
    return this.refs.size;
  }
}
