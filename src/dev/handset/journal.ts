import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { HandsetEvent } from './outcome.js';
import type { Phone } from './phone.js';

const MAX_EVENTS = 1_000;
const INFO_KINDS: ReadonlySet<string> = new Set(['push-received', 'account-stored', 'authenticated']);

/** What the handsets did, for the control API and the logs: numbers masked, never a PIN or secret. */
export class Journal {
  readonly events: HandsetEvent[] = [];

  constructor(private readonly logger: Logger) {}

  note(phone: Phone, kind: string, detail: Record<string, unknown>): void {
    const e: HandsetEvent = { at: new Date().toISOString(), msisdn: maskPhone(phone.msisdn), kind, detail };
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    const level = INFO_KINDS.has(kind) ? 'info' : 'warn';
    if (this.logger.isLevelEnabled(level)) this.logger[level]({ to: e.msisdn, kind, ...detail }, `handset: ${kind}`);
  }
}

/** One octet of the body flipped, past the WSP headers: what a forger or a bad link would do. */
export function tampered(wsp: Uint8Array): Uint8Array {
  const out = Uint8Array.from(wsp);
  out[out.length - Math.max(2, Math.floor(out.length / 4))]! ^= 0x20;
  return out;
}
