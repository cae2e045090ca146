import type { ErrorRequestHandler } from 'express';
import { BootlineError } from '../../errors.js';

/** How long a client should wait before trying again: about the Redis client's longest reconnect backoff. */
export const REDIS_RETRY_AFTER_S = 5;

/**
 * ioredis's errors while Redis cannot be reached: a command that timed out (`commandTimeout`),
 * one that ran out of reconnect attempts, a closed or unwritable connection, a cluster with
 * no node answering, the socket errors themselves. Anything else is a real failure.
 */
const UNREACHABLE = [
  /^Command timed out/,
  /max retries per request/i,
  /^Connection is closed/,
  /Stream isn't writeable/,
  /Failed to refresh slots cache/,
  /None of startup nodes is available/,
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTCONN|EPIPE)\b/,
];

export function isRedisUnreachable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ClusterAllFailedError') return true;
  const texts = [e.code, e.message].filter((t): t is string => typeof t === 'string');
  return texts.some((t) => UNREACHABLE.some((re) => re.test(t)));
}

/**
 * Turns "Redis cannot be reached" into what it is for a client: 503 REDIS_UNAVAILABLE with
 * Retry-After, not 500 INTERNAL (which says "our bug" and invites no retry). The app's
 * error handler writes the answer.
 */
export function redisUnavailable(): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (!isRedisUnreachable(err) || res.headersSent) {
      next(err);
      return;
    }
    res.setHeader('Retry-After', String(REDIS_RETRY_AFTER_S));
    next(
      new BootlineError(
        'REDIS_UNAVAILABLE',
        'Redis cannot be reached right now; try again shortly',
        {},
        { cause: err },
      ),
    );
  };
}
