import { registerScripts } from './scripts.js';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * Two kinds of Redis connection, as BullMQ's production guide asks:
 * - `fast`: web requests and producers fail fast while Redis is down (every command bounded
 *   by a 2 s timeout, one retry) so a webhook answers an apology well within Twilio's 15 s
 *   budget instead of hanging;
 * - `patient`: workers wait out outages (`maxRetriesPerRequest: null`, required by BullMQ).
 */
export type RedisKind = 'fast' | 'patient';

/** A single Redis or a Redis Cluster: bootline uses only commands both support (slot-safe keys). */
export type RedisClient = Redis | Cluster;

/** Where Redis is (Config satisfies it): one server, or a Redis Cluster reached through seed nodes. */
export interface RedisTarget {
  readonly redisUrl: string;
  /** Seeds (REDIS_CLUSTER_NODES); empty = single server. Auth and TLS come from `redisUrl`. */
  readonly redisClusterNodes: readonly { readonly host: string; readonly port: number }[];
}

function kindOptions(kind: RedisKind, extra: RedisOptions): RedisOptions {
  const common: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5_000),
    ...extra,
  };
  // `fast` keeps the offline queue (so requests arriving while the connection is still being
  // established just wait a moment) but bounds every command by commandTimeout, which
  // ioredis applies to queued commands too: with Redis down a webhook gets its apology in ~2 s.
  return kind === 'fast'
    ? { ...common, enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 2_000 }
    : { ...common, maxRetriesPerRequest: null };
}

export function createRedis(url: string, kind: RedisKind, extra?: RedisOptions): Redis;
export function createRedis(target: string | RedisTarget, kind: RedisKind, extra?: RedisOptions): RedisClient;
export function createRedis(target: string | RedisTarget, kind: RedisKind, extra: RedisOptions = {}): RedisClient {
  const t: RedisTarget = typeof target === 'string' ? { redisUrl: target, redisClusterNodes: [] } : target;
  const r =
    t.redisClusterNodes.length > 0 ? createCluster(t, kind, extra) : new Redis(t.redisUrl, kindOptions(kind, extra));
  // An unhandled 'error' event would crash the process; callers observe state via ping/readyz.
  r.on('error', () => undefined);
  registerScripts(r);
  return r;
}

/**
 * ioredis Cluster with the same two behaviours per node. `enableAutoPipelining` is a
 * cluster-level option (it batches per node); the rest goes to every node connection.
 */
function createCluster(t: RedisTarget, kind: RedisKind, extra: RedisOptions): Cluster {
  const { enableAutoPipelining, ...perNode } = extra;
  const u = new URL(t.redisUrl);
  const redisOptions = kindOptions(kind, {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    ...perNode,
  });
  const opts: ClusterOptions = {
    redisOptions,
    enableOfflineQueue: kind === 'fast' ? true : (redisOptions.enableOfflineQueue ?? true),
    enableAutoPipelining: enableAutoPipelining ?? false,
    clusterRetryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5_000),
    // A MOVED/ASK after a failover or reshard is followed a few times before an error.
    maxRedirections: 16,
    slotsRefreshTimeout: 2_000,
  };
  return new Cluster(
    t.redisClusterNodes.map((n) => ({ host: n.host, port: n.port })),
    opts,
  );
}

/** The servers a key-space SCAN must visit: every master of a cluster, or the one server. */
export function masters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

export async function redisReachable(r: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (r.status !== 'ready') return false;
  try {
    const pong = await Promise.race([
      r.ping(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs).unref()),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}
