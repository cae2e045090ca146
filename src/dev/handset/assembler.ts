import { parseUserData, reassemble, WAP_PUSH_PORT, type Udh } from '../../codec/index.js';
import type { ReceivedSubmit } from '../smsc/pdu.js';

export interface AssembledPush {
  /** E.164 of the handset the segments were sent to. */
  readonly msisdn: string;
  readonly wsp: Uint8Array;
  readonly segments: number;
}

interface Group {
  readonly parts: Map<number, Uint8Array>;
  readonly total: number;
  readonly at: number;
}

/** A handset keeps unfinished concatenations this long (TS 23.040 leaves it to the device). */
const GROUP_TTL_MS = 10 * 60_000;

/**
 * What a handset's SMS stack does with binary short messages before the WAP stack sees them
 * (3GPP TS 23.040 §9.2.3.24.1 concatenation, §9.2.3.24.4 application ports): only messages to
 * the WAP Push port 2948 are kept; segments are grouped by sender-side reference, total and
 * number, and handed on once every sequence number is in, in any order of arrival.
 */
export class SegmentAssembler {
  private readonly groups = new Map<string, Group>();

  /** Adds one accepted submit_sm; returns the push when it completes one, else null. */
  add(sm: ReceivedSubmit, now = Date.now()): AssembledPush | null {
    if (sm.text !== undefined || (sm.esmClass & 0x40) === 0) return null;
    let udh: Udh;
    try {
      udh = parseUserData(sm.shortMessage).udh;
    } catch {
      return null; // a handset drops a message whose header it cannot read
    }
    if (udh.destinationPort !== WAP_PUSH_PORT) return null;
    const msisdn = '+' + sm.destinationAddr.replace(/^\+/, '');
    const c = udh.concat;
    if (!c) return { msisdn, wsp: reassemble([sm.shortMessage]), segments: 1 };
    this.prune(now);
    const key = `${msisdn}/${c.referenceBits}/${c.reference}/${c.total}`;
    const g = this.groups.get(key) ?? { parts: new Map(), total: c.total, at: now };
    g.parts.set(c.seq, sm.shortMessage);
    this.groups.set(key, g);
    if (g.parts.size < g.total) return null;
    this.groups.delete(key);
    try {
      return { msisdn, wsp: reassemble([...g.parts.values()]), segments: g.total };
    } catch {
      return null;
    }
  }

  private prune(now: number): void {
    for (const [k, g] of this.groups) if (now - g.at > GROUP_TTL_MS) this.groups.delete(k);
  }
}
