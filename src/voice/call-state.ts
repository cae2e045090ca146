import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';

/**
 * Per-call state, keyed by CallSid. Only ids, counters, the confirmed number and the sealed
 * PIN: never a one-time code (that lives sealed under its own 5-minute key, see otp.ts).
 */
export interface CallState {
  readonly callSid: string;
  readonly flowId: string;
  /** The flow revision the call started on; the call finishes on it even if the file changes. */
  readonly revision: string;
  step: string;
  /** Webhooks processed after the first; action URLs carry it as `t`, so an old request is known stale. */
  seq?: number;
  /** The step before `step` (reported to agents as "last step"). */
  prevStep?: string;
  lang: string;
  /** Tries used per input step; reset when the step is left. */
  attempts: Record<string, number>;
  msisdn?: string;
  national?: string;
  /** The caller ID, kept only when Twilio reported A-level STIR/SHAKEN attestation. */
  attestedCaller?: string;
  /** True once the entered number proved possession (code keyed back, or attested caller ID). */
  verified?: boolean;
  pinSealed?: string;
  bootstrapId?: string;
  /** Why the call is heading to an agent or an end: "caller-request", "max-attempts", "error". */
  reason?: string;
  /** Set when a support agent sent the caller here (hand-in or transfer code). */
  agent?: AgentLink;
  /** A number the agent prefilled: the next gather-number step uses it once (still read back and verified). */
  prefill?: string;
  /** Epoch ms when a waiting step (wait-for-delivery) was first entered. */
  since?: Record<string, number>;
  readonly startedAt: string;
}

/** Who sent the caller into the flow: ids only, reported back to agents (task attributes, SIP headers). */
export interface AgentLink {
  readonly transferId: string;
  readonly agentId?: string;
  readonly ticketId?: string;
  /** E.164 number or SIP URI the caller can be returned to (transfer-to-agent returnToAgent). */
  readonly returnTo?: string;
}

/** Longer than any call: Twilio's own maximum call duration is 4 hours; ours end far sooner. */
export const CALL_TTL_S = 2 * 3600;

export class CallStateStore {
  constructor(private readonly redis: Redis) {}

  async load(callSid: string): Promise<CallState | null> {
    const raw = await this.redis.get(KEYS.call(callSid));
    return raw === null ? null : (JSON.parse(raw) as CallState);
  }

  async save(state: CallState): Promise<void> {
    await this.redis.set(KEYS.call(state.callSid), JSON.stringify(state), 'EX', CALL_TTL_S);
  }

  async remove(callSid: string): Promise<void> {
    await this.redis.del(KEYS.call(callSid));
  }
}
