import { hostname } from 'node:os';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import type { SmppClientStatus } from './client.js';

/** A worker's beat older than this counts as gone (three missed beats). */
const BEAT_MS = 2_000;
const STALE_MS = 3 * BEAT_MS;

/**
 * Each worker writes its SMPP bind state to one Redis hash every 2 s, so the web process's
 * /readyz can say whether any worker holds a bind to the SMSC (the web never talks SMPP).
 */
export function startSmscHeartbeat(
  redis: Redis,
  status: () => SmppClientStatus,
  id = `${hostname()}:${process.pid}`,
): { stop(): Promise<void> } {
  const beat = () =>
    redis.hset(KEYS.workers(), id, JSON.stringify({ ...status(), at: Date.now() })).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, BEAT_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.hdel(KEYS.workers(), id).catch(() => undefined);
    },
  };
}

export interface SmscHealth {
  readonly ok: boolean;
  /** Workers seen in the last few seconds, and how many SMPP binds they hold between them. */
  readonly workers: number;
  readonly binds: number;
  readonly bound: number;
}

export async function readSmscHealth(redis: Redis, now = Date.now()): Promise<SmscHealth> {
  const all = await redis.hgetall(KEYS.workers());
  const fresh = Object.values(all)
    .map((v) => JSON.parse(v) as SmppClientStatus & { at: number })
    .filter((w) => now - w.at < STALE_MS);
  const bound = fresh.reduce((n, w) => n + w.bound, 0);
  return { ok: bound > 0, workers: fresh.length, binds: fresh.reduce((n, w) => n + w.binds, 0), bound };
}
