import type { RedisClient } from './client.js';

/**
 * Every Lua script bootline runs is defined here, the one way: a name, how many KEYS it takes,
 * its Lua, and (above each definition) a contract comment — KEYS, ARGV and what it returns.
 *
 * A script runs as an ioredis custom command (EVALSHA, then EVAL once after NOSCRIPT: a Redis
 * restart or a fresh server), registered on each client the first time it is used, one command
 * per key count. With the count fixed, a script's first argument is always a key — what ioredis
 * routes a command by on a Redis Cluster, auto-pipelined or not (a leading key count would send
 * it to the node owning the slot of "3").
 */
export interface RedisScript {
  readonly name: string;
  /** KEYS the script takes; with `moreKeys`, the least it takes (extra keys are allowed). */
  readonly keys: number;
  readonly lua: string;
  readonly moreKeys?: boolean;
}

const defined = new Map<string, RedisScript>();

/** Declares a script; names are unique across bootline. */
export function defineScript(script: RedisScript): RedisScript {
  if (!/^[a-z][a-z0-9-]*$/.test(script.name)) throw new Error(`script name ${script.name} is not kebab-case`);
  if (defined.has(script.name)) throw new Error(`script ${script.name} is defined twice`);
  const frozen = Object.freeze({ ...script });
  defined.set(script.name, frozen);
  return frozen;
}

type Command = (...keysAndArgs: Array<string | number>) => Promise<unknown>;
type WithCommands = Record<string, Command>;
const registered = new WeakMap<object, Set<string>>();

/** The client's command for this script and key count, registered on first use. */
function commandOf(redis: RedisClient, script: RedisScript, keyCount: number): string {
  if (keyCount < script.keys || (keyCount > script.keys && !script.moreKeys)) {
    throw new Error(`script ${script.name} takes ${script.keys} keys, got ${keyCount}`);
  }
  const name = `bl_${script.name.replace(/-/g, '_')}_${keyCount}`;
  let set = registered.get(redis);
  if (!set) registered.set(redis, (set = new Set()));
  if (!set.has(name)) {
    redis.defineCommand(name, { lua: script.lua, numberOfKeys: keyCount });
    joinOpenAutoPipelines(redis, name);
    set.add(name);
  }
  return name;
}

interface ScriptingClient {
  readonly scriptsSet: Record<string, { readonly sha: string }>;
  readonly _autoPipelines?: Map<string, Record<string, unknown> & { _shaToScript: Record<string, unknown> }>;
}

/**
 * An auto-pipeline already open in this tick was built before the command existed: ioredis
 * copies a client's script commands into a pipeline when it creates it (ioredis
 * built/Pipeline.js), so a script first used after another command in the same tick found no
 * method there ("pipeline[functionName] is not a function"). The new command is copied into
 * the open pipelines the way that constructor does.
 */
function joinOpenAutoPipelines(redis: RedisClient, name: string): void {
  const client = redis as unknown as ScriptingClient & Record<string, unknown>;
  const script = client.scriptsSet[name];
  for (const pipeline of client._autoPipelines?.values() ?? []) {
    if (!script || pipeline[name]) continue;
    pipeline._shaToScript[script.sha] = script;
    pipeline[name] = client[name];
    pipeline[`${name}Buffer`] = client[`${name}Buffer`];
  }
}

/** Runs a script; on an auto-pipelined client it joins the current pipeline like any command. */
export function runScript(
  redis: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  const name = commandOf(redis, script, keys.length);
  return (redis as unknown as WithCommands)[name]!(...keys, ...args);
}

/**
 * As runScript, but written to the socket at once: an explicit one-command pipeline does not
 * queue behind an auto-pipeline still waiting for its replies (ioredis runs one at a time per
 * connection). For writes that must reach Redis before anything else happens (the record of
 * segments the SMSC accepted: until it is stored, a killed worker's re-run would send them again).
 */
export async function runScriptNow(
  redis: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  const name = commandOf(redis, script, keys.length);
  const pipeline = redis.pipeline() as unknown as WithCommands & {
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
  pipeline[name]!(...keys, ...args);
  const [err, value] = (await pipeline.exec())?.[0] ?? [new Error('empty pipeline reply'), null];
  if (err) throw err;
  return value;
}
