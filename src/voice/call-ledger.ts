import type { RedisClient as Redis } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';
import { ANSWER_TTL_S, type ReplayGuard } from './replay.js';
import { CALL_TTL_S, type CallState } from './call-state.js';
import { defineScript, holdWrites, runScript, sendNow, type RedisScript } from '../platform/redis/scripts.js';
import { seal, unseal } from '../platform/seal.js';

/**
 * A webhook's Redis work in one round trip each way: the replay checks (ended-call
 * tombstone, request claim — see security/replay.ts) and the call state, as Lua scripts
 * over the call's keys, which share the `{CallSid}` hash tag (one cluster slot).
 * A new call costs one script; a later webhook one script to begin and one pipeline to commit.
 *
 * The answer kept for a request's duplicates is sealed with the data key (AES-256-GCM, bound to
 * the call and request): a turn's TwiML speaks the PIN and reads the number back, and Redis
 * keeps what it is given on disk (the AOF) long after the key expires. Sealing a few hundred
 * bytes costs microseconds; the webhook's Redis round trips are unchanged.
 */
export type Refused = { readonly kind: 'ended' } | { readonly kind: 'duplicate'; readonly answer: string | null };
export type Opened = { readonly kind: 'created' } | { readonly kind: 'exists' } | Refused;
export type Begun = { readonly kind: 'fresh'; readonly state: CallState | null } | Refused;

/**
 * A first webhook. KEYS: ended, call[, request]. ARGV: state, state TTL, answer, answer TTL.
 * Returns {'ended'}, {'duplicate', answer}, {'exists'} or {'created'}.
 */
const OPEN = defineScript({
  name: 'call-open',
  keys: 2,
  maxKeys: 3,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'ended'} end
if #KEYS == 3 and redis.call('EXISTS', KEYS[3]) == 1 then return {'duplicate', redis.call('GET', KEYS[3])} end
if not redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2], 'NX') then return {'exists'} end
if #KEYS == 3 then redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4]) end
return {'created'}`,
});

/**
 * A later webhook. KEYS: ended, call[, request]. ARGV: claim TTL. The claim holds '' until the
 * answer is stored. Returns {'ended'}, {'duplicate', answer} or {'fresh', state}.
 */
const BEGIN = defineScript({
  name: 'call-begin',
  keys: 2,
  maxKeys: 3,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'ended'} end
if #KEYS == 3 and not redis.call('SET', KEYS[3], '', 'EX', ARGV[1], 'NX') then
  return {'duplicate', redis.call('GET', KEYS[3])}
end
return {'fresh', redis.call('GET', KEYS[2])}`,
});

type Reply = [string, string | null | undefined];

export class CallLedger {
  constructor(
    private readonly redis: Redis,
    private readonly replay: ReplayGuard,
    private readonly sealKey: Buffer,
  ) {}

  /**
   * A first webhook: refused if the call is over or the request was seen; else the state is
   * created only if absent, and the answer kept for duplicates of this request.
   */
  async open(state: CallState, id: string | null, answer: string): Promise<Opened> {
    const keys = this.keys(state.callSid, id);
    const sealed = id ? this.seal(state.callSid, id, answer) : '';
    const [kind, value] = await this.run(OPEN, keys, JSON.stringify(state), CALL_TTL_S, sealed, ANSWER_TTL_S);
    if (kind === 'created' || kind === 'exists' || kind === 'ended') return { kind };
    return this.duplicate(state.callSid, id!, value);
  }

  /** A later webhook: refused, or claimed with the call's state (null when it has none). */
  async begin(callSid: string, id: string | null): Promise<Begun> {
    const keys = this.keys(callSid, id);
    const [kind, value] = await this.run(BEGIN, keys, ANSWER_TTL_S);
    if (kind === 'ended') return { kind };
    if (kind === 'duplicate') return this.duplicate(callSid, id!, value);
    return { kind: 'fresh', state: typeof value === 'string' ? (JSON.parse(value) as CallState) : null };
  }

  /**
   * Stores the call's new state and this request's answer, in one round trip: written at once
   * (not behind an auto-pipeline waiting for its replies) and held to the end of the tick, so
   * the trace's write made in the same tick (trace/store.ts) leaves with them in one write.
   */
  async commit(state: CallState, id: string | null, answer: string): Promise<void> {
    holdWrites(this.redis);
    const writes = [sendNow(this.redis, 'set', [KEYS.call(state.callSid), JSON.stringify(state), 'EX', CALL_TTL_S])];
    if (id) {
      const kept = [
        KEYS.callRequest(state.callSid, id),
        this.seal(state.callSid, id, answer),
        'EX',
        ANSWER_TTL_S,
        'XX',
      ];
      writes.push(sendNow(this.redis, 'set', kept));
    }
    await Promise.all(writes);
  }

  /** The request failed before answering: a retry of it may be processed. */
  async release(callSid: string, id: string | null): Promise<void> {
    if (id) await this.redis.del(KEYS.callRequest(callSid, id));
  }

  /** Runs one of the ledger scripts; the request claim, when there is one, is a third key. */
  private run(script: RedisScript, keys: string[], ...args: (string | number)[]): Promise<Reply> {
    return runScript(this.redis, script, keys, args) as Promise<Reply>;
  }

  private keys(callSid: string, id: string | null): string[] {
    const keys = [KEYS.callEnded(callSid), KEYS.call(callSid)];
    if (id) keys.push(KEYS.callRequest(callSid, id));
    return keys;
  }

  /**
   * A duplicate gets the first copy's answer, waiting briefly if that is still being made. An
   * answer that does not open (another key, tampered) counts as none: the duplicate goes round again.
   */
  private async duplicate(callSid: string, id: string, answer: string | null | undefined): Promise<Refused> {
    const sealed = answer ? answer : await this.replay.awaitAnswer(callSid, id);
    return { kind: 'duplicate', answer: sealed ? unseal(this.sealKey, sealed, answerAad(callSid, id)) : null };
  }

  private seal(callSid: string, id: string, answer: string): string {
    return seal(this.sealKey, answer, answerAad(callSid, id));
  }
}

/** Binds a sealed answer to its call and request: copied under another request's key, it does not open. */
const answerAad = (callSid: string, id: string) => `call-answer:${callSid}:${id}`;
