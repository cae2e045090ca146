import type { Redis } from 'ioredis';
import { KEYS } from '../lib/redis.js';

/** Per-call state, keyed by CallSid. Only ids, counters and the sealed PIN: no raw secrets. */
export interface CallState {
  readonly callSid: string;
  readonly flowId: string;
  /** The flow revision the call started on; the call finishes on it even if the file changes. */
  readonly revision: string;
  step: string;
  lang: string;
  attempts: Record<string, number>;
  msisdn?: string;
  national?: string;
  pinSealed?: string;
  bootstrapId?: string;
  readonly startedAt: string;
}

const CALL_TTL_S = 2 * 3600;

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
