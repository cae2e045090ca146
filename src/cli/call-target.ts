import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmsInbox } from '../console/simulator/inbox.js';
import { createRedis } from '../platform/redis/client.js';
import type { CliIO } from './io.js';

/** A file the dev stack (npm start) keeps in its data folder for the CLI: a URL, a secret. */
export function devFile(io: CliIO, name: string): string | undefined {
  const file = join(io.env.BOOTLINE_DATA_DIR ?? join(io.cwd, '.data'), name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Where the hotline answers: --base, else PUBLIC_BASE_URL, else localhost:$PORT, else the URL
 * the running dev stack wrote (`PORT=3917 npm start` in one terminal, `npm run call` in
 * another that has no PORT), else localhost:3000.
 */
export function baseUrlFor(io: CliIO, given: string | undefined): string {
  const url =
    given ??
    io.env.PUBLIC_BASE_URL ??
    (io.env.PORT ? `http://localhost:${io.env.PORT}` : undefined) ??
    devFile(io, 'dev-web-url') ??
    'http://localhost:3000';
  return url.replace(/\/+$/, '');
}

/** fetch's "fetch failed" as a sentence: which URL was not reached, why, and what to set. */
export function unreachable(baseUrl: string, err: unknown): Error | undefined {
  if (!(err instanceof TypeError) || err.message !== 'fetch failed') return undefined;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? 'no answer';
  return new Error(
    `could not reach bootline at ${baseUrl} (${why}). Is it running (npm start)? ` +
      'If it listens elsewhere, set PORT or PUBLIC_BASE_URL, or pass --base URL',
  );
}

export function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export const redisSilence = (redisUrl: string, ms: number) =>
  `the Redis at ${redisUrl}, where the code SMS is read, did not answer within ${ms / 1000} s: ` +
  "set REDIS_URL or pass --redis URL (the running stack's Redis)";

/** Whether a Redis answers PING within `ms`; the probe's connection is gone either way. */
export async function redisAnswers(redisUrl: string, ms: number): Promise<boolean> {
  const redis = createRedis(redisUrl, 'fast', { commandTimeout: ms, connectTimeout: ms });
  try {
    await within(redis.ping(), ms, 'no answer');
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * The code-SMS inbox with every Redis read bounded: BullMQ waits for a connection forever, so
 * a Redis that goes away during the call would hang it silently.
 */
export function boundedInbox(inbox: SmsInbox, redisUrl: string, ms: number): SmsInbox {
  const message = redisSilence(redisUrl, ms);
  return {
    texts: (callSid) => within(inbox.texts(callSid), ms, message),
    close: () => within(inbox.close?.() ?? Promise.resolve(), ms, message).catch(() => undefined),
  };
}
