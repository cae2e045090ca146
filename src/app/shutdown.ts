import type { RedisClient } from '../platform/redis/client.js';

/** One named step of a process's shutdown (main/boot.ts logs each by name). */
export type ShutdownStep = readonly [name: string, run: () => Promise<unknown>];

/**
 * Runs the steps in order, each on its own: one that fails does not keep the later ones from
 * running (a connection left open would keep the process alive). The first failure is
 * rethrown once all have run.
 */
export async function runSteps(steps: readonly ShutdownStep[]): Promise<void> {
  let first: unknown = null;
  for (const [, run] of steps) {
    try {
      await run();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== null) throw first;
}

/**
 * QUIT (Redis answers what is in flight first, then closes), or a plain disconnect when Redis
 * does not answer within `ms`: a worker's connection waits out outages and would wait forever.
 */
export async function closeRedis(client: RedisClient, ms = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const outcome = await Promise.race([client.quit().catch(() => 'late' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') client.disconnect();
}
