import type { BootstrapStore, SmscRef } from '../store/store.js';

/**
 * SMSC message id → segment, for the segments this process submitted recently. The receipt
 * usually comes back on the bind that submitted the message, so the worker that recorded the
 * id in Redis can skip reading it back (one round trip per receipt, issue 9). Redis stays the
 * record: a miss (another worker, a restart, an evicted entry) reads it from there.
 * One cache per store, as a process may run stacks against different SMSCs (tests do),
 * whose message ids can coincide.
 */
const MAX_ENTRIES = 20_000;
const caches = new WeakMap<BootstrapStore, Map<string, SmscRef>>();

export function recentRefs(store: BootstrapStore): Map<string, SmscRef> {
  let m = caches.get(store);
  if (!m) {
    m = new Map();
    caches.set(store, m);
  }
  return m;
}

export function rememberRef(store: BootstrapStore, messageId: string, ref: SmscRef): void {
  const m = recentRefs(store);
  m.set(messageId, ref);
  if (m.size > MAX_ENTRIES) m.delete(m.keys().next().value!);
}
