import { loadConfig, type Config } from '../config/config.js';
import { isBootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';

/** Loads config from the environment or exits 1 listing every problem. Entrypoints only. */
export function configOrExit(processName: string): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (isBootlineError(err, 'CONFIG_INVALID')) {
      process.stderr.write(`bootline ${processName}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Installs SIGTERM/SIGINT handlers running `steps` once, in order, each isolated, the whole
 * bounded by `timeoutMs` (after which the process exits 1 rather than hang on a stuck close).
 */
export function onShutdown(
  logger: Logger,
  timeoutMs: number,
  steps: ReadonlyArray<readonly [string, () => Promise<unknown>]>,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const shutdown = () =>
    (running ??= (async () => {
      const guard = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown timed out; exiting');
        process.exit(1);
      }, timeoutMs);
      guard.unref();
      for (const [name, step] of steps) {
        try {
          await step();
          logger.info({ step: name }, 'shutdown step done');
        } catch (err) {
          logger.warn({ step: name, err: (err as Error).message }, 'shutdown step failed');
        }
      }
      clearTimeout(guard);
    })());
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      logger.info({ signal: sig }, 'shutting down');
      void shutdown().then(() => process.exit(0));
    });
  }
  return shutdown;
}
