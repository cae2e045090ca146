import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../platform/logger.js';
import type { BootstrapStore, SmscRef } from '../store/store.js';
import type { DeliveryReceipt } from '../../smpp/receipt.js';
import type { FollowUp } from '../follow-up.js';
import { ReceiptBatch } from './batch.js';
import type { SmscRefIndex } from './smsc-ref-index.js';

const LOOKUP_DELAYS_MS = [50, 200, 750] as const;

/**
 * Owns what a delivery receipt does to its bootstrap: segment state, then `delivered` once
 * every segment is, `failed`/`expired` as soon as one cannot be. Receipts for ids we never
 * submitted, or for an earlier round of a retried bootstrap, are logged and ignored.
 * A Redis error propagates, so the deliver_sm is answered "try later" and the SMSC re-sends.
 */
export function createReceiptHandler(deps: {
  store: BootstrapStore;
  logger: Logger;
  /** The ids this process's push runs remembered (the same index the push processor writes). */
  refs: SmscRefIndex;
  lookupDelaysMs?: readonly number[];
  /** Outbound events and the enrolment deadline of the transitions receipts make. */
  followUp?: FollowUp;
}) {
  // Exact ids only: mapping a decimal receipt id to a hex one (some SMSCs differ between
  // submit_sm_resp and receipt) can hit another message's id, so that stays per-SMSC work.
  const batch = new ReceiptBatch(deps.store, deps.followUp);
  const find = async (id: string): Promise<{ ref: SmscRef; messageId: string } | null> => {
    const ref = deps.refs.get(id) ?? (await deps.store.smscRef(id));
    return ref ? { ref, messageId: id } : null;
  };
  return async (r: DeliveryReceipt): Promise<void> => {
    // A receipt can overtake our own record of the submit_sm_resp (a fast SMSC, a busy
    // worker): look again a few times before calling the id unknown.
    // The submit_sm_resp and this deliver_sm can come in one read: the response's promise
    // chain (which records the id in `refs`) runs as microtasks after this handler started.
    // Let it finish first, or a stale Redis pointer (an SMSC reusing ids) could win.
    if (!deps.refs.has(r.messageId)) await new Promise((resolve) => setImmediate(resolve));
    let found = await find(r.messageId);
    for (const ms of deps.lookupDelaysMs ?? LOOKUP_DELAYS_MS) {
      if (found) break;
      await sleep(ms);
      found = await find(r.messageId);
    }
    if (!found) {
      deps.logger.warn({ smscId: r.messageId, state: r.state }, 'receipt for an unknown message id ignored');
      return;
    }
    const { ref, messageId } = found;
    const status = await batch.apply(ref, messageId, r.state, r.error ?? '');
    if (status === 'stale') {
      deps.logger.info(
        { bootstrapId: ref.id, smscId: messageId, state: r.state },
        'receipt for an earlier round ignored',
      );
      return;
    }
    deps.logger.info(
      { bootstrapId: ref.id, segment: ref.index, smscId: messageId, state: r.state, err: r.error, status },
      'delivery receipt',
    );
  };
}
