import type { Logger } from '../lib/logger.js';
import type { BootstrapStore } from '../queue/store.js';
import type { DeliveryReceipt } from './receipt.js';

/**
 * Applies a delivery receipt to its bootstrap: `delivered` once every segment is delivered,
 * `failed`/`expired` as soon as one segment cannot be. Receipts for ids we never submitted
 * are logged and ignored.
 */
export function createReceiptHandler(deps: { store: BootstrapStore; logger: Logger }) {
  return async (r: DeliveryReceipt): Promise<void> => {
    const id = await deps.store.bootstrapForSmscMessage(r.messageId);
    if (!id) {
      deps.logger.warn({ smscId: r.messageId, state: r.state }, 'receipt for an unknown message id ignored');
      return;
    }
    const rec = await deps.store.get(id);
    if (!rec || rec.status === 'failed' || rec.status === 'expired') return;
    if (r.state === 'DELIVRD') {
      const delivered = await deps.store.markSegmentDelivered(id, r.messageId);
      if (rec.segments !== undefined && delivered >= rec.segments) await deps.store.setStatus(id, 'delivered');
    } else if (r.state === 'EXPIRED') {
      await deps.store.setStatus(id, 'expired', { error: `SMSC receipt EXPIRED err:${r.error ?? ''}` });
    } else if (r.state === 'UNDELIV' || r.state === 'REJECTD' || r.state === 'DELETED') {
      await deps.store.setStatus(id, 'failed', { error: `SMSC receipt ${r.state} err:${r.error ?? ''}` });
    }
    deps.logger.info({ bootstrapId: id, smscId: r.messageId, state: r.state }, 'delivery receipt');
  };
}
