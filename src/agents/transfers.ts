import type { RedisClient as Redis } from '../platform/redis/client.js';
import { TOKEN_TTL_S } from './token.js';
import { KEYS } from '../platform/redis/keys.js';
import { randomDigits } from '../platform/random-digits.js';

/** How an agent sends a caller into a flow: redirecting the live call, or a code typed on a new call. */
export type TransferKind = 'hand-in' | 'code';
/**
 * pending: a code not typed yet; redirected: the redirect was sent to Twilio (or the code was
 * typed); in-flow: the caller reached the flow; failed: Twilio refused the redirect.
 */
export type TransferStatus = 'pending' | 'redirected' | 'in-flow' | 'failed';

export interface TransferRecord {
  readonly id: string;
  readonly kind: TransferKind;
  readonly flowId: string;
  /** The customer's call: given for a hand-in, set when a cold-transfer code is typed. */
  callSid?: string;
  readonly agentId?: string;
  readonly ticketId?: string;
  readonly language?: string;
  /** The prefilled number, sealed (AAD = transfer id): a number is personal data. */
  readonly prefillSealed?: string;
  /** Where a caller goes back to after the flow: an E.164 number or a SIP URI. */
  readonly returnTo?: string;
  status: TransferStatus;
  bootstrapId?: string;
  error?: { readonly code: string; readonly twilioCode?: number; readonly message: string };
  readonly createdAt: string;
  updatedAt: string;
}

/** Transfers are kept a day for the agent status view; the webhook watch lasts as long. */
export const TRANSFER_TTL_S = 24 * 3600;
export const CODE_POLICY = { length: 6, ttlS: 600 } as const;

const K = {
  transfer: KEYS.agentTransfer,
  /** Present while the context token may still be used; deleting it is using it. */
  token: KEYS.agentTransferToken,
  code: KEYS.agentCode,
} as const;

export class TransferStore {
  constructor(private readonly redis: Redis) {}

  async create(rec: TransferRecord): Promise<void> {
    await this.redis.set(K.transfer(rec.id), JSON.stringify(rec), 'EX', TRANSFER_TTL_S);
  }

  async get(id: string): Promise<TransferRecord | null> {
    const raw = await this.redis.get(K.transfer(id));
    return raw === null ? null : (JSON.parse(raw) as TransferRecord);
  }

  /** Read-modify-write of one transfer; the TTL keeps counting from creation. */
  async update(
    id: string,
    patch: Partial<Pick<TransferRecord, 'status' | 'callSid' | 'bootstrapId' | 'error'>>,
  ): Promise<TransferRecord | null> {
    const rec = await this.get(id);
    if (!rec) return null;
    const next = { ...rec, ...patch, updatedAt: new Date().toISOString() };
    await this.redis.set(K.transfer(id), JSON.stringify(next), 'KEEPTTL');
    return next;
  }

  /** Makes the next context token of this transfer usable (once) for its lifetime. */
  async armToken(id: string): Promise<void> {
    await this.redis.set(K.token(id), '1', 'EX', TOKEN_TTL_S + 30);
  }

  /** True for the first use only: DEL is atomic, so two racing requests cannot both win. */
  async consumeToken(id: string): Promise<boolean> {
    return (await this.redis.del(K.token(id))) === 1;
  }

  /** A fresh 6-digit code for a cold transfer, unique among live codes (SET NX). */
  async issueCode(id: string): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const code = randomDigits(CODE_POLICY.length);
      if (await this.redis.set(K.code(code), id, 'EX', CODE_POLICY.ttlS, 'NX')) return code;
    }
    throw new Error('no free transfer code');
  }

  /** The transfer a typed code belongs to; the code is gone afterwards (single use). */
  async redeemCode(code: string): Promise<string | null> {
    if (!/^\d{6}$/.test(code)) return null;
    return this.redis.getdel(K.code(code));
  }
}
