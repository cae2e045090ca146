import { createHash } from 'node:crypto';
import { Command as RedisCommand, type Redis } from 'ioredis';
import type { RedisClient } from './client.js';

/**
 * Every Lua script bootline runs is defined here, the one way: a name, how many KEYS it takes,
 * its Lua, and (above each definition) a contract comment — KEYS, ARGV and what it returns.
 *
 * A script runs as an ioredis custom command (EVALSHA, then EVAL once after NOSCRIPT: a Redis
 * restart or a fresh server), one command per key count. With the count fixed, a script's first
 * argument is always a key — what ioredis routes a command by on a Redis Cluster, auto-pipelined
 * or not (a leading key count would send it to the node owning the slot of "3").
 *
 * Commands are registered on a client when it is created (createRedis calls registerScripts),
 * before it can hold an auto-pipeline: ioredis copies a client's commands into each pipeline as
 * it makes it, so a command registered while one waits would be missing from it.
 */
export interface RedisScript {
  readonly name: string;
  /** KEYS the script takes; `'any'` for a script whose key count varies without bound (single Redis only). */
  readonly keys: number | 'any';
  /** The most KEYS it takes, when some are optional (default: exactly `keys`). */
  readonly maxKeys?: number;
  readonly lua: string;
}

const defined = new Map<string, RedisScript>();
/** Clients already created, so a script defined later (a module loaded late) reaches them too. */
const clients = new Set<WeakRef<RedisClient>>();

/** Declares a script; names are unique across bootline. */
export function defineScript(script: RedisScript): RedisScript {
  if (!/^[a-z][a-z0-9-]*$/.test(script.name)) throw new Error(`script name ${script.name} is not kebab-case`);
  if (defined.has(script.name)) throw new Error(`script ${script.name} is defined twice`);
  const frozen = Object.freeze({ ...script });
  defined.set(script.name, frozen);
  for (const ref of clients) {
    const c = ref.deref();
    if (c) define(c, frozen);
    else clients.delete(ref);
  }
  return frozen;
}

const commandName = (script: RedisScript, keyCount: number | 'any') =>
  `bl_${script.name.replace(/-/g, '_')}_${keyCount}`;

const registered = new WeakMap<object, Set<string>>();

function define(redis: RedisClient, script: RedisScript): void {
  const counts: Array<number | 'any'> = [];
  if (script.keys === 'any') counts.push('any');
  else for (let n = script.keys; n <= (script.maxKeys ?? script.keys); n++) counts.push(n);
  let set = registered.get(redis);
  if (!set) registered.set(redis, (set = new Set()));
  for (const n of counts) {
    const name = commandName(script, n);
    if (set.has(name)) continue;
    redis.defineCommand(name, { lua: script.lua, ...(n === 'any' ? {} : { numberOfKeys: n }) });
    set.add(name);
  }
}

/** Gives a new client every script defined so far (and every one defined later). */
export function registerScripts(redis: RedisClient): void {
  for (const script of defined.values()) define(redis, script);
  clients.add(new WeakRef(redis));
}

type Command = (...keysAndArgs: Array<string | number>) => Promise<unknown>;
type WithCommands = Record<string, Command>;
/** The SHA1 Redis names a script by (EVALSHA), computed once per script. */
const shas = new WeakMap<RedisScript, string>();
function shaOf(script: RedisScript): string {
  let sha = shas.get(script);
  if (!sha) shas.set(script, (sha = createHash('sha1').update(script.lua).digest('hex')));
  return sha;
}

/** The command for this script and key count; checks the count and that the client has it. */
function commandOf(redis: RedisClient, script: RedisScript, keyCount: number): { name: string; args: number[] } {
  if (script.keys === 'any') {
    if (redis.isCluster) throw new Error(`script ${script.name} takes any number of keys: single Redis only`);
    if (!registered.get(redis)?.has(commandName(script, 'any'))) registerScripts(redis);
    return { name: commandName(script, 'any'), args: [keyCount] };
  }
  if (keyCount < script.keys || keyCount > (script.maxKeys ?? script.keys)) {
    throw new Error(
      `script ${script.name} takes ${script.keys}–${script.maxKeys ?? script.keys} keys, got ${keyCount}`,
    );
  }
  const name = commandName(script, keyCount);
  // A client made elsewhere than createRedis (a library's, a test's) gets the scripts on first use.
  if (!registered.get(redis)?.has(name)) registerScripts(redis);
  return { name, args: [] };
}

/** Runs a script; on an auto-pipelined client it joins the current pipeline like any command. */
export function runScript(
  redis: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  const c = commandOf(redis, script, keys.length);
  return (redis as unknown as WithCommands)[c.name]!(...c.args, ...keys, ...args);
}

/**
 * As runScript, but written to the socket at once: a command sent past the auto-pipeline (or,
 * on a cluster, an explicit one-command pipeline) does not queue behind an auto-pipeline still
 * waiting for its replies (ioredis runs one at a time per connection). For writes that must
 * reach Redis before anything else happens (the record of segments the SMSC accepted: until it
 * is stored, a killed worker's re-run would send them again).
 */
export async function runScriptNow(
  redis: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  const c = commandOf(redis, script, keys.length);
  // One Redis: EVALSHA goes straight to the socket through ioredis's public sendCommand (EVAL
  // once after NOSCRIPT, as its script commands do) — what a one-command pipeline writes,
  // without building a pipeline, which copies every registered command onto itself.
  if (!redis.isCluster) {
    const rest = [keys.length, ...keys, ...args];
    try {
      return await sendNow(redis, 'evalsha', [shaOf(script), ...rest]);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return sendNow(redis, 'eval', [script.lua, ...rest]);
    }
  }
  const pipeline = redis.pipeline() as unknown as WithCommands & {
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
  pipeline[c.name]!(...c.args, ...keys, ...args);
  const [err, value] = (await pipeline.exec())?.[0] ?? [new Error('empty pipeline reply'), null];
  if (err) throw err;
  return value;
}

const held = new WeakSet<object>();

/**
 * Holds what this tick writes to a single Redis's socket — runScriptNow's and sendNow's
 * commands — until the tick's end, so they leave in one write: the commands a webhook's answer
 * waits for (its call state, its kept answer, its trace) cost one syscall and one read on the
 * server instead of one each, and no pipeline is built for them. A cluster: nothing is held.
 */
export function holdWrites(redis: RedisClient): void {
  if (redis.isCluster) return;
  const stream = (redis as Redis).stream;
  if (!stream || held.has(stream)) return;
  held.add(stream);
  stream.cork();
  process.nextTick(() => {
    held.delete(stream);
    stream.uncork();
  });
}

/** A plain command written to the socket at once, past the auto-pipeline, as runScriptNow sends a script. */
export async function sendNow(
  redis: RedisClient,
  name: string,
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  if (!redis.isCluster)
    return (redis as Redis).sendCommand(new RedisCommand(name, [...args], { replyEncoding: 'utf8' }));
  const [err, value] = (
    await redis
      .pipeline()
      .call(name, ...args)
      .exec()
  )?.[0] ?? [new Error('empty pipeline reply')];
  if (err) throw err;
  return value;
}
