import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

const shas = new Map<string, string>();

/** EVALSHA with a one-time EVAL fallback (NOSCRIPT after a Redis restart or on a fresh server). */
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

export async function runScript(
  redis: RedisClient,
  script: string,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  const sha = shaOf(script);
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}

/**
 * As runScript, but written to the socket at once: an explicit one-command pipeline does not
 * queue behind an auto-pipeline still waiting for its replies (ioredis runs one at a time per
 * connection). For the record of segments the SMSC accepted: until it reaches Redis, a killed
 * worker's re-run would send them again.
 */
export async function runScriptNow(
  redis: RedisClient,
  script: string,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  const res = await redis
    .pipeline()
    .evalsha(shaOf(script), keys.length, ...keys, ...args)
    .exec();
  const [err, value] = res?.[0] ?? [new Error('empty pipeline reply'), null];
  if (!err) return value;
  if (!String(err.message).includes('NOSCRIPT')) throw err;
  return redis.eval(script, keys.length, ...keys, ...args);
}
