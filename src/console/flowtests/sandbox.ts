import { bootstrapIdForCall } from '../../deliveries/ids.js';
import type { Delivery } from './harness.js';
import type { SmscAnswer } from './spec.js';
import type { Sms } from '../simulator/inbox.js';

/** How long the sandbox's SMSC takes to accept a push and to send its receipt. */
const SUBMIT_MS = 30;
const RECEIPT_MS = 80;

/**
 * The console's delivery side for flow tests: nothing leaves the process. A code SMS is
 * "accepted" at once and kept for the test to read; a push goes queued → submitted → the
 * receipt the test asked the SMSC for (delivered, or failed/expired). So a draft's tests
 * never text or provision anybody, whatever numbers they use, on a production console.
 */
export function sandboxDelivery(): Delivery {
  const texts = new Map<string, Sms[]>();
  const pushes = new Map<string, { status: string }>();
  let answer: SmscAnswer = 'delivered';
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  return {
    services: {
      async sendText({ callSid, to, text }) {
        texts.set(callSid, [...(texts.get(callSid) ?? []), { to, text }]);
      },
      async requestBootstrap({ id: bootstrapId }) {
        if (pushes.has(bootstrapId)) return { id: bootstrapId };
        const push = { status: 'queued' };
        const final = answer === 'delivered' ? 'delivered' : answer === 'expired' ? 'expired' : 'failed';
        pushes.set(bootstrapId, push);
        later(SUBMIT_MS, () => {
          push.status = 'submitted';
          later(RECEIPT_MS, () => {
            push.status = final;
          });
        });
        return { id: bootstrapId };
      },
      async bootstrapStatus(id) {
        return pushes.get(id)?.status ?? null;
      },
    },
    async texts(callSid) {
      return texts.get(callSid) ?? [];
    },
    async push(callSid) {
      return pushes.get(bootstrapIdForCall(callSid))?.status ?? null;
    },
    async answer(a) {
      answer = a;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
