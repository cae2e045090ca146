import { hkdfSync } from 'node:crypto';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { AbuseGuard, DEFAULT_LIMITS, type AbuseLimits } from '../policy/limits.js';
import { ReplayGuard } from './replay.js';
import { RedisFlowArchive } from './archive.js';
import { CallLedger } from './call-ledger.js';
import { CallStateStore } from './call-state.js';
import type { VoiceServices } from './context.js';
import { VoiceEngine } from './engine.js';
import { OtpStore } from './otp.js';
import type { FlowRegistry } from './registry.js';
import { TraceStore } from './trace/store.js';

/** Execution traces are kept this long unless CALL_TRACE_DAYS says otherwise. */
export const DEFAULT_TRACE_DAYS = 7;

/**
 * The voice engine with its Redis-backed parts: call state, one-time codes and the flow
 * revision archive. main/web.ts and the test stacks wire it the same way through this.
 */
export function createVoiceEngine(deps: {
  redis: Redis;
  flows: FlowRegistry;
  services: VoiceServices;
  defaultFlowId?: string;
  limits?: AbuseLimits;
  /** CALL_TRACE_DAYS: how long execution traces are kept (0: not traced). */
  traceDays?: number;
  /** FLOW_TEST_CALLERS: caller IDs that reach a flow's draft. */
  testCallers?: readonly string[];
}): VoiceEngine {
  deps.flows.withArchive(new RedisFlowArchive(deps.redis));
  // Rate-limit keys are HMACs of numbers under a key derived from the data key: no number in Redis key names.
  const pepper = Buffer.from(
    hkdfSync('sha256', deps.services.sealKey, Buffer.alloc(0), 'bootline rate-limit keys', 32),
  );
  const replay = new ReplayGuard(deps.redis);
  const traceDays = deps.traceDays ?? DEFAULT_TRACE_DAYS;
  return new VoiceEngine({
    flows: deps.flows,
    calls: new CallStateStore(deps.redis),
    otp: new OtpStore(deps.redis, deps.services.sealKey),
    services: deps.services,
    guard: new AbuseGuard(deps.redis, deps.limits ?? DEFAULT_LIMITS, pepper),
    replay,
    ledger: new CallLedger(deps.redis, replay, deps.services.sealKey),
    ...(traceDays > 0 ? { traces: new TraceStore(deps.redis, deps.services.sealKey, traceDays * 86_400) } : {}),
    ...(deps.testCallers?.length ? { testCallers: new Set(deps.testCallers) } : {}),
    ...(deps.defaultFlowId ? { defaultFlowId: deps.defaultFlowId } : {}),
  });
}
