/**
 * Delivery receipts: a deliver_sm with esm_class bit 0x04 set (SMPP v3.4 §5.2.12, "SMSC
 * Delivery Receipt"). The TLVs receipted_message_id (0x001E) and message_state (0x0427) win;
 * the Appendix B text ("id:… stat:DELIVRD err:000") is the fallback, as it is vendor-specific.
 */
export type ReceiptState =
  | 'DELIVRD'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIV'
  | 'ACCEPTD'
  | 'UNKNOWN'
  | 'REJECTD'
  | 'ENROUTE';

export interface DeliveryReceipt {
  readonly messageId: string;
  readonly state: ReceiptState;
  readonly error?: string;
}

/** message_state TLV values, SMPP v3.4 §5.2.28. */
const MESSAGE_STATE: Record<number, ReceiptState> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

export const ESM_CLASS_DELIVERY_RECEIPT = 0x04;

function textOf(sm: unknown): string {
  if (typeof sm === 'string') return sm;
  if (Buffer.isBuffer(sm)) return sm.toString('latin1');
  const m = (sm as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : Buffer.isBuffer(m) ? m.toString('latin1') : '';
}

/** Compiled once: a burst of receipts is parsed on the worker's hot path. */
const FIELD = { id: /(?:^|\s)id:(\S+)/i, stat: /(?:^|\s)stat:(\S+)/i, err: /(?:^|\s)err:(\S+)/i } as const;

export function parseReceipt(pdu: Record<string, unknown>): DeliveryReceipt | null {
  if (typeof pdu.esm_class !== 'number' || (pdu.esm_class & 0x3c) !== ESM_CLASS_DELIVERY_RECEIPT) return null;
  const text = textOf(pdu.short_message);
  const field = (name: keyof typeof FIELD) => FIELD[name].exec(text)?.[1];
  const messageId =
    typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : field('id');
  const stateFromTlv = typeof pdu.message_state === 'number' ? MESSAGE_STATE[pdu.message_state] : undefined;
  const state = stateFromTlv ?? (field('stat')?.toUpperCase() as ReceiptState | undefined);
  if (!messageId || !state) return null;
  const error = field('err');
  return { messageId, state, ...(error ? { error } : {}) };
}
