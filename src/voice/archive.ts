import type { RedisClient as Redis } from '../platform/redis/client.js';
import { CALL_TTL_S } from './call-state.js';
import type { Flow } from './flow.js';
import type { FlowArchive } from './registry.js';
import { KEYS } from '../platform/redis/keys.js';

const key = KEYS.flowRevision;

/**
 * Flow revisions in Redis, so a call started on one web process finishes on the same
 * revision when its next webhook lands on another (or after a restart or a reload). Kept an
 * hour longer than any call state that may point at it.
 */
export class RedisFlowArchive implements FlowArchive {
  constructor(private readonly redis: Redis) {}

  async save(flow: Flow): Promise<void> {
    await this.redis.set(key(flow.id, flow.revision), flow.source, 'EX', CALL_TTL_S + 3600);
  }

  load(id: string, revision: string): Promise<string | null> {
    return this.redis.get(key(id, revision));
  }
}
