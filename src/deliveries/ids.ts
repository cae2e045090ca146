/**
 * A bootstrap's identity and the job ids derived from it. A bootstrap is named after the call
 * that asked for it, and its push job carries the same id, so one call can never produce two
 * pushes and a replayed webhook is a no-op.
 */
export function bootstrapIdForCall(callSid: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(callSid)) throw new Error('CallSid has unexpected characters');
  return `bs-${callSid}`;
}

/** The dm-register child of one round of a bootstrap (an operator's retry starts a new round). */
export function registerJobId(bootstrapId: string, round: number): string {
  return `dmreg-${bootstrapId}-r${round}`;
}
