import { bootstrapIdForCall } from '../../deliveries/ids.js';
import type { Delivery } from './harness.js';
import type { HandsetAnswer, SmscAnswer } from './spec.js';
import type { Sms } from '../simulator/inbox.js';

/** How long the sandbox's SMSC takes to accept a push and to send its receipt. */
const SUBMIT_MS = 30;
const RECEIPT_MS = 80;
/** How long the sandbox's handset takes, after the receipt, to open its DM session (or fail to). */
const SESSION_MS = 60;

/** The state the DM server's report leaves a delivered push in, with its cause (deliveries/lifecycle.ts). */
const AFTER_DELIVERY: Record<HandsetAnswer, { status: string; cause: string | null } | null> = {
  untracked: null,
  enrolled: { status: 'enrolled', cause: null },
  'auth-failed': { status: 'failed', cause: 'DM_AUTH_FAILED' },
  'not-enrolled': { status: 'not-enrolled', cause: 'NOT_ENROLLED_IN_TIME' },
};

/**
 * The console's delivery side for flow tests: nothing leaves the process. A code SMS is
 * "accepted" at once and kept for the test to read; a push goes queued → submitted → the
 * receipt the test asked the SMSC for (delivered, or failed/expired), then, when delivered, what
 * the test says the handset did (enrolled, failed authentication, or never connected). So a draft's tests
 * never text or provision anybody, whatever numbers they use, on a production console.
 */
export function sandboxDelivery(): Delivery {
  const texts = new Map<string, Sms[]>();
  const pushes = new Map<string, { status: string; cause: string | null }>();
  let answer: SmscAnswer = 'delivered';
  let handset: HandsetAnswer = 'untracked';
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
        const push: { status: string; cause: string | null } = { status: 'queued', cause: null };
        const final = answer === 'delivered' ? 'delivered' : answer === 'expired' ? 'expired' : 'failed';
        const then = final === 'delivered' ? AFTER_DELIVERY[handset] : null;
        pushes.set(bootstrapId, push);
        later(SUBMIT_MS, () => {
          push.status = 'submitted';
          later(RECEIPT_MS, () => {
            push.status = final;
            if (then) later(SESSION_MS, () => Object.assign(push, then));
          });
        });
        return { id: bootstrapId };
      },
      async bootstrapStatus(id) {
        return pushes.get(id)?.status ?? null;
      },
      async bootstrapState(id) {
        const p = pushes.get(id);
        return p ? { status: p.status, cause: p.cause } : null;
      },
    },
    async texts(callSid) {
      return texts.get(callSid) ?? [];
    },
    async push(callSid) {
      return pushes.get(bootstrapIdForCall(callSid))?.status ?? null;
    },
    async answer(a, h) {
      answer = a;
      handset = h;
    },
    enrolmentTracked: () => handset !== 'untracked',
    async close() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
