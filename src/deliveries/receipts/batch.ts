/** Owns the batching of delivery receipts: one script per burst of one bootstrap's receipts. */
import type { FollowUp } from '../follow-up.js';
import type { BootstrapStatus, BootstrapStore, SmscRef } from '../store/store.js';

type Outcome = BootstrapStatus | 'stale' | null;

interface Group {
  readonly ref: SmscRef;
  readonly receipts: Array<{ messageId: string; state: string; err: string; segment: number }>;
  readonly done: Promise<Outcome>;
  settle(p: Promise<Outcome>): void;
}

/**
 * Receipts of one bootstrap that arrive together (one socket read: the SMSC sends a push's
 * receipts at about the same moment) are applied with one script instead of one each. A
 * receipt joins the group of its bootstrap and round; the groups are written on the next
 * tick, after the burst and before any I/O, and each receipt's promise resolves when its
 * group is written and followed up, so its deliver_sm is still answered only once the receipt
 * is stored and its outbound events queued: an SMSC re-sending an unanswered one heals a crash.
 */
export class ReceiptBatch {
  private groups = new Map<string, Group>();

  constructor(
    private readonly store: BootstrapStore,
    private readonly followUp?: FollowUp,
  ) {}

  apply(ref: SmscRef, messageId: string, state: string, err: string): Promise<Outcome> {
    const key = `${ref.id} ${ref.round}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size === 0) process.nextTick(() => this.flush());
      let settle!: (p: Promise<Outcome>) => void;
      const done = new Promise<Outcome>((resolve) => {
        settle = resolve;
      });
      g = { ref, receipts: [], done, settle };
      this.groups.set(key, g);
    }
    g.receipts.push({ messageId, state, err, segment: ref.index });
    return g.done;
  }

  private flush(): void {
    const groups = this.groups;
    this.groups = new Map();
    for (const g of groups.values()) g.settle(this.write(g));
  }

  /** One group's script, then its follow-up once (not once per receipt), before any deliver_sm is answered. */
  private async write(g: Group): Promise<Outcome> {
    const status = await this.store.applyReceipts(g.ref, g.receipts);
    if (status && status !== 'stale') await this.followUp?.(g.ref.id, { status, round: g.ref.round });
    return status;
  }
}
