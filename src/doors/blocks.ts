import { createHmac, hkdfSync } from 'node:crypto';
import type { RedisClient } from '../platform/redis/client.js';
import { KEYS } from '../platform/redis/keys.js';

export interface Block {
  readonly reason: 'sim-swap';
  /** The network event that placed it (its id, as the sender gave it). */
  readonly event: string;
  readonly until: string;
}

/**
 * Numbers no bootstrap may go to for now. A SIM swap is what account takeover looks like from
 * the network: whoever holds the new SIM receives the one-time code and the push, so for a
 * window after one nothing is sent to that number from any door. Keys are an HMAC of the
 * number (no number in a key name); a later event for the number restarts the window.
 */
export class NumberBlocks {
  private readonly pepper: Buffer;

  constructor(
    private readonly redis: RedisClient,
    dataKey: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    this.pepper = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'bootline number blocks', 32));
  }

  async block(msisdn: string, o: { reason: Block['reason']; event: string; seconds: number }): Promise<Block> {
    const block: Block = {
      reason: o.reason,
      event: o.event,
      until: new Date(this.now() + o.seconds * 1000).toISOString(),
    };
    await this.redis.set(this.key(msisdn), JSON.stringify(block), 'EX', o.seconds);
    return block;
  }

  async blocked(msisdn: string): Promise<Block | null> {
    const v = await this.redis.get(this.key(msisdn));
    return v ? (JSON.parse(v) as Block) : null;
  }

  private key(msisdn: string): string {
    return KEYS.numberBlock(createHmac('sha256', this.pepper).update(msisdn).digest('base64url').slice(0, 22));
  }
}
