import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../src/dev/redis.js';
import { spawnChild } from './children.js';

/**
 * A private redis-server for one test file, on a free loopback port, in a temp dir —
 * never the developer's own Redis. Fails loudly if redis-server is not installed. It dies with
 * the test file (children.ts), even when a test fails before its `stop()`.
 *
 * `dir` and `port` start it again on the data and port of one stopped before (a restart test);
 * that dir is then the caller's to remove.
 */
export async function startTestRedis(
  opts: { durable?: boolean; dir?: string; port?: number } = {},
): Promise<PrivateRedis & { dir: string }> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'bootline-redis-'));
  let r: PrivateRedis;
  try {
    r = await startPrivateRedis({ dir, durable: opts.durable ?? false, port: opts.port, spawn: spawnChild });
  } catch (err) {
    throw new Error(
      `cannot start a private redis-server for the tests (apt-get install -y redis-server): ${(err as Error).message}`,
    );
  }
  return {
    ...r,
    dir,
    stop: async () => {
      await r.stop();
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
