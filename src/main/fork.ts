import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../platform/logger.js';

/**
 * Runs `count` copies of this entrypoint with node:cluster (WEB_CONCURRENCY for the web,
 * WORKER_PROCESSES for the worker). The copies share nothing but Redis — that is what makes
 * them interchangeable — and web copies share the listening port (the primary hands out
 * connections round-robin). The primary only supervises: it re-forks a copy that died,
 * forwards SIGTERM/SIGINT and exits when every copy has (bounded by `timeoutMs`).
 *
 * Returns true in the primary (the caller must not start the app), false in a copy or when
 * `count` is 1 (the app runs in this process, as before).
 */
export function forkCopies(name: string, count: number, logger: Logger, timeoutMs: number): boolean {
  if (count <= 1 || !cluster.isPrimary) return false;
  let stopping = false;
  const restarts: number[] = [];
  const fork = (slot: number): Worker => cluster.fork({ BOOTLINE_COPY: String(slot) });
  const slots = new Map<Worker, number>();
  for (let i = 1; i <= count; i++) slots.set(fork(i), i);
  logger.info({ copies: count }, `${name} supervisor started`);

  cluster.on('exit', (w, code, signal) => {
    const slot = slots.get(w) ?? 0;
    slots.delete(w);
    if (stopping) {
      if (slots.size === 0) process.exit(0);
      return;
    }
    // A crash loop (config or Redis gone for good) should not fork forever at full speed.
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && now - restarts[0]! > 60_000) restarts.shift();
    const delay = restarts.length > count * 3 ? 5_000 : 200;
    logger.warn({ copy: slot, code, signal, restartInMs: delay }, `${name} copy exited; starting a new one`);
    setTimeout(() => {
      if (!stopping) slots.set(fork(slot), slot);
    }, delay).unref();
  });

  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      stopping = true;
      logger.info({ signal: sig, copies: slots.size }, `${name} supervisor stopping`);
      for (const w of slots.keys()) w.process.kill('SIGTERM');
      if (slots.size === 0) process.exit(0);
      setTimeout(() => {
        logger.error({ timeoutMs }, 'copies did not stop in time');
        process.exit(1);
      }, timeoutMs + 1_000).unref();
    });
  }
  return true;
}

/**
 * Never settles: the primary awaits it at the top level of the entrypoint so the rest of the
 * module (the app) does not run there. The primary always leaves through process.exit.
 */
export function supervising(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** In a copy: the logger tagged with the copy's slot and pid (which copy said what). */
export function copyLogger(logger: Logger): Logger {
  return cluster.isWorker ? logger.child({ copy: Number(process.env.BOOTLINE_COPY ?? 0), pid: process.pid }) : logger;
}
