import type { SmsInbox } from '../../console/simulator/inbox.js';
import type { DevSmsc } from './server.js';

/**
 * Reads a DevSmsc in this process (tests): text SMS it received since the inbox was made.
 * The SMSC knows numbers, not calls, so the simulator's caller is assumed to be the only
 * one sending texts in that window — true inside one test.
 */
export function devSmscInbox(smsc: DevSmsc): SmsInbox {
  const from = smsc.received.length;
  return {
    texts: async () =>
      smsc.received
        .slice(from)
        .filter((r) => r.text !== undefined)
        .map((r) => ({ to: '+' + r.destinationAddr, text: r.text! })),
  };
}
