import type { RedisClient as Redis } from '../lib/redis.js';
import { RedisFlowArchive } from './archive.js';
import { CallStateStore } from './call-state.js';
import type { VoiceServices } from './context.js';
import { VoiceEngine } from './engine.js';
import { OtpStore } from './otp.js';
import type { FlowRegistry } from './registry.js';

/**
 * The voice engine with its Redis-backed parts: call state, one-time codes and the flow
 * revision archive. main/web.ts and the test stacks wire it the same way through this.
 */
export function createVoiceEngine(deps: { redis: Redis; flows: FlowRegistry; services: VoiceServices; defaultFlowId?: string }): VoiceEngine {
  deps.flows.withArchive(new RedisFlowArchive(deps.redis));
  return new VoiceEngine({
    flows: deps.flows, calls: new CallStateStore(deps.redis), otp: new OtpStore(deps.redis, deps.services.sealKey), services: deps.services,
    ...(deps.defaultFlowId ? { defaultFlowId: deps.defaultFlowId } : {}),
  });
}
