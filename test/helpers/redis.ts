import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../src/dev/redis.js';

/**
 * A private redis-server for one test file, on a free loopback port, in a temp dir —
 * never the developer's own Redis. Fails loudly if redis-server is not installed.
 */
export async function startTestRedis(opts: { durable?: boolean } = {}): Promise<PrivateRedis & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-redis-'));
  let r: PrivateRedis;
  try {
    r = await startPrivateRedis({ dir, durable: opts.durable ?? false });
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
