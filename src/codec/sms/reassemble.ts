/**
 * Inspection side: SMS short messages (UDH ‖ payload) → the WSP PDU they carry. Every
 * segment must carry the same reference and total, each sequence number exactly once;
 * a lone segment may have no concatenation IE. Order of arrival does not matter.
 */
import { codecError } from '../../errors.js';
import { parseUserData, type Udh } from './udh.js';

export interface Reassembled {
  readonly wsp: Uint8Array;
  readonly udhs: readonly Udh[];
}

export function reassembleDetailed(shortMessages: readonly Uint8Array[]): Reassembled {
  if (shortMessages.length === 0) throw codecError('SMS_REASSEMBLY_FAILED', 'no segments', 0);
  const parts = shortMessages.map((sm) => parseUserData(sm));
  const first = parts[0]!.udh.concat;
  if (!first) {
    if (parts.length !== 1)
      throw codecError('SMS_REASSEMBLY_FAILED', 'several segments but the first has no concatenation IE', 0, {
        segment: 0,
      });
    return { wsp: parts[0]!.payload.slice(), udhs: [parts[0]!.udh] };
  }
  if (parts.length !== first.total)
    throw codecError('SMS_REASSEMBLY_FAILED', `${parts.length} segments given, the UDH says ${first.total}`, 0);
  const bySeq: (Uint8Array | undefined)[] = new Array(first.total);
  parts.forEach(({ udh, payload }, i) => {
    const c = udh.concat;
    if (!c || c.reference !== first.reference || c.referenceBits !== first.referenceBits || c.total !== first.total) {
      throw codecError('SMS_REASSEMBLY_FAILED', `segment ${i} belongs to another message`, 0, { segment: i });
    }
    if (bySeq[c.seq - 1])
      throw codecError('SMS_REASSEMBLY_FAILED', `sequence number ${c.seq} appears twice`, 0, { segment: i });
    bySeq[c.seq - 1] = payload;
  });
  const size = bySeq.reduce((n, p) => n + (p?.length ?? 0), 0);
  const wsp = new Uint8Array(size);
  let at = 0;
  for (const p of bySeq) {
    wsp.set(p!, at);
    at += p!.length;
  }
  return { wsp, udhs: parts.map((p) => p.udh) };
}

export function reassemble(shortMessages: readonly Uint8Array[]): Uint8Array {
  return reassembleDetailed(shortMessages).wsp;
}
