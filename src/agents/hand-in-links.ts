import type { Logger } from '../platform/logger.js';
import { mintToken, tokenKey } from './token.js';
import type { TransferRecord, TransferStore } from './transfers.js';

/**
 * Owns the hand-in URL a transfer sends a call to, and the redemption of cold-transfer codes
 * that leads to it. Neither needs the voice engine (only the transfers and the token key), so
 * the composition builds this first and hands `redeemCode` to the engine, and builds the agent
 * service, which drives the engine, after it: no construction cycle between the two.
 */
export class HandInLinks {
  private readonly key: Buffer;

  constructor(
    private readonly d: {
      readonly transfers: TransferStore;
      readonly dataKey: Buffer;
      readonly publicBaseUrl: string;
      readonly logger: Logger;
    },
  ) {
    this.key = tokenKey(d.dataKey);
  }

  /** `${base}/voice/handin?flow=…&token=…`, a fresh single-use token (parameters sorted: what Twilio signs back). */
  async url(rec: TransferRecord, callSid: string): Promise<string> {
    await this.d.transfers.armToken(rec.id);
    const { token } = mintToken(this.key, { id: rec.id, flowId: rec.flowId, callSid });
    return `${this.d.publicBaseUrl}/voice/handin?flow=${encodeURIComponent(rec.flowId)}&token=${token}`;
  }

  /** A typed cold-transfer code: binds the transfer to this call and returns its hand-in URL. */
  async redeemCode(callSid: string, code: string): Promise<string | null> {
    const id = await this.d.transfers.redeemCode(code);
    const rec = id ? await this.d.transfers.update(id, { callSid, status: 'redirected' }) : null;
    if (!rec) return null;
    this.d.logger.info({ transferId: rec.id, callSid, flow: rec.flowId }, 'agent transfer code redeemed');
    return this.url(rec, callSid);
  }
}
