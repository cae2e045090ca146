/**
 * Fault switches of the dev SMSC, for tests and for operators rehearsing incidents. All can
 * be changed while it runs (DevSmsc.setFaults, the control endpoint, DEV_SMSC_FAULTS).
 */
export type ReceiptStat = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD';

export interface DevSmscFaults {
  /** Per bind: more submit_sm per second than this (token bucket) are answered ESME_RTHROTTLED. */
  throttleTps?: number | null;
  /** Bucket size of the throttle; default max(2, tps/10). */
  throttleBurst?: number;
  /** Read submit_sm and never answer them (nor accept them): a hung SMSC. */
  silent?: boolean;
  /**
   * Once: the sessions bound now stop answering anything (submit_sm, enquire_link, unbind)
   * and accept nothing, while sessions bound later work — one wedged connection, the rest of
   * the SMSC fine; a number wedges that session only (sessions are numbered from 1 in order of
   * connection, as ReceivedSubmit.session). Consumed when applied (DevSmsc.setFaults).
   */
  hang?: boolean | number;
  /** destination_addr (digits, no '+') → command_status to refuse it with (e.g. 0x0B ESME_RINVDSTADR). */
  reject?: Record<string, number>;
  /** Answer each submit_sm after this many ms (a distant SMSC; fills the window). */
  respondDelayMs?: number;
  /** Accept this many more submit_sm, then drop every connection on the next one (once). */
  dropAfter?: number | null;
  /** 'withhold' keeps receipts until releaseReceipts() (or the switch goes back to 'deliver'). */
  receipts?: 'deliver' | 'withhold';
  /** Final state reported in receipts. */
  receiptState?: ReceiptStat;
  /** Receipt delay in ms; null sends none. */
  receiptDelayMs?: number | null;
}

/** message_state TLV for each receipt stat (SMPP v3.4 §5.2.28). */
export const MESSAGE_STATE: Record<ReceiptStat, number> = { DELIVRD: 2, EXPIRED: 3, UNDELIV: 5, REJECTD: 8 };

/** A token bucket: `rate` tokens per second, at most `burst` stored. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const STATS = new Set<string>(['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD']);

/**
 * Parses the operator syntax, words separated by spaces or commas:
 * `throttle=5` `throttle=off` `silent` `answer` `hang[=session]` `reject=447400000001[:0x0B]` `accept=447400000001`
 * `respond-delay=200` `drop-after=3` `receipts=withhold|deliver` `receipt-state=UNDELIV`
 * `receipt-delay=5000|off` `clear`. Returns the switches to merge; throws on an unknown word.
 */
export function parseFaults(spec: string, current: DevSmscFaults = {}): DevSmscFaults {
  let f: DevSmscFaults = { ...current, reject: { ...current.reject } };
  for (const word of spec.split(/[\s,]+/).filter(Boolean)) {
    const [k, v = ''] = word.split('=') as [string, string?];
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${k} needs a number`);
      return n;
    };
    if (k === 'clear') f = {};
    else if (k === 'throttle') f.throttleTps = v === 'off' ? null : num();
    else if (k === 'silent') f.silent = true;
    else if (k === 'answer') f.silent = false;
    else if (k === 'hang') f.hang = v ? num() : true;
    else if (k === 'reject') {
      const [dest, st] = v.split(':');
      f.reject = { ...f.reject, [dest!.replace(/^\+/, '')]: st ? Number(st) : 0x0b };
    } else if (k === 'accept') {
      const r = { ...f.reject };
      delete r[v.replace(/^\+/, '')];
      f.reject = r;
    } else if (k === 'respond-delay') f.respondDelayMs = num();
    else if (k === 'drop-after') f.dropAfter = num();
    else if (k === 'receipts' && (v === 'withhold' || v === 'deliver')) f.receipts = v;
    else if (k === 'receipt-state' && STATS.has(v)) f.receiptState = v as ReceiptStat;
    else if (k === 'receipt-delay') f.receiptDelayMs = v === 'off' ? null : num();
    else throw new Error(`unknown fault switch "${word}"`);
  }
  return f;
}
