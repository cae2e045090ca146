import { createHash } from 'node:crypto';

/**
 * The caller ID a simulated call presents when none is given: a number in Ofcom's range for
 * drama and testing (07700 900000–900999, never allocated to a subscriber), chosen from the
 * CallSid so every call gets its own — the per-caller limits see a new caller each time — while
 * every webhook of one call, from any process, carries the same one.
 */
export function testCallerId(callSid: string): string {
  const n = createHash('sha256').update(callSid).digest().readUInt32BE(0) % 1000;
  return `+447700900${String(n).padStart(3, '0')}`;
}
