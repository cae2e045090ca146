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
}): VoiceEngine {
  deps.flows.withArchive(new RedisFlowArchive(deps.redis));
  // Rate-limit keys are HMACs of numbers under a key derived from the data key: no number in Redis key names.
  const pepper = Buffer.from(
    hkdfSync('sha256', deps.services.sealKey, Buffer.alloc(0), 'bootline rate-limit keys', 32),
  );
  const replay = new ReplayGuard(deps.redis);
  return new VoiceEngine({
    flows: deps.flows,
    calls: new CallStateStore(deps.redis),
    otp: new OtpStore(deps.redis, deps.services.sealKey),
    services: deps.services,
    guard: new AbuseGuard(deps.redis, deps.limits ?? DEFAULT_LIMITS, pepper),
    replay,
    ledger: new CallLedger(deps.redis, replay, deps.services.sealKey),
    ...(deps.defaultFlowId ? { defaultFlowId: deps.defaultFlowId } : {}),
  });
}
