import { BootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import { maskPhone } from '../platform/mask.js';
import { seal, unseal } from '../platform/seal.js';
import { bootstrapIdForCall } from '../deliveries/ids.js';
import type { CallParams, VoiceEngine } from '../voice/engine.js';
import { checkPhone } from '../voice/phone.js';
import type { FlowRegistry } from '../voice/registry.js';
import type { HandInLinks } from './hand-in-links.js';
import { newTransferId, parseToken, tokenKey, tokenMatches } from './token.js';
import { CODE_POLICY, type TransferRecord, type TransferStore } from './transfers.js';
import type { CallRedirector } from '../twilio/calls.js';

export interface TransferRequest {
  readonly callSid?: string;
  readonly flow: string;
  readonly agentId?: string;
  readonly ticketId?: string;
  readonly language?: string;
  readonly number?: string;
  readonly returnTo?: string;
}

export interface AgentServiceDeps {
  readonly transfers: TransferStore;
  /** Null when TWILIO_ACCOUNT_SID is unset: hand-ins are refused, codes still work. */
  readonly redirector: CallRedirector | null;
  readonly flows: FlowRegistry;
  readonly engine: VoiceEngine;
  /** Hand-in URLs (and the cold-transfer codes that lead to them). */
  readonly links: HandInLinks;
  readonly dataKey: Buffer;
  readonly publicBaseUrl: string;
  /** Hosts a SIP returnTo may name (AGENT_SIP_DOMAINS); empty: SIP returnTo is refused. */
  readonly sipDomains: readonly string[];
  readonly logger: Logger;
}

/**
 * Support agents sending callers into a flow. A hand-in redirects the customer's live call
 * through Twilio's REST API to /voice/handin with a single-use context token; a cold
 * transfer gives the agent a code the caller types on a new call. Everything is checked
 * before Twilio is asked, so a refused request leaves the caller's call alone.
 */
export class AgentService {
  private readonly key: Buffer;

  constructor(private readonly d: AgentServiceDeps) {
    this.key = tokenKey(d.dataKey);
  }

  async create(req: TransferRequest): Promise<{ transfer: TransferRecord; code?: string; codeExpiresAt?: string }> {
    if (req.callSid && !this.d.redirector)
      throw new BootlineError(
        'AGENT_NOT_CONFIGURED',
        'hand-ins need TWILIO_ACCOUNT_SID (cold-transfer codes work without it)',
      );
    const prefill = this.checkRequest(req);
    const now = new Date().toISOString();
    const id = newTransferId();
    const rec: TransferRecord = {
      id,
      kind: req.callSid ? 'hand-in' : 'code',
      flowId: req.flow,
      ...(req.callSid ? { callSid: req.callSid } : {}),
      ...(req.agentId ? { agentId: req.agentId } : {}),
      ...(req.ticketId ? { ticketId: req.ticketId } : {}),
      ...(req.language ? { language: req.language } : {}),
      ...(prefill ? { prefillSealed: seal(this.d.dataKey, prefill, `agent-transfer:${id}`) } : {}),
      ...(req.returnTo ? { returnTo: req.returnTo } : {}),
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    await this.d.transfers.create(rec);
    const log = {
      transferId: id,
      kind: rec.kind,
      flow: rec.flowId,
      agentId: rec.agentId,
      callSid: rec.callSid,
      number: maskPhone(prefill),
    };
    if (!req.callSid) {
      const code = await this.d.transfers.issueCode(id);
      this.d.logger.info(log, 'agent transfer code issued');
      return { transfer: rec, code, codeExpiresAt: new Date(Date.now() + CODE_POLICY.ttlS * 1000).toISOString() };
    }
    return { transfer: await this.redirect(rec, req.callSid, log) };
  }

  /** Asks Twilio to move the call; a refusal marks the transfer failed (with Twilio's code) and revokes the token. */
  private async redirect(rec: TransferRecord, callSid: string, log: Record<string, unknown>): Promise<TransferRecord> {
    // Marked before asking Twilio: Twilio fetches /voice/handin (→ in-flow) as soon as it accepts.
    const sent = (await this.d.transfers.update(rec.id, { status: 'redirected' })) ?? rec;
    try {
      // A refused hand-in (token expired or replayed) answers 4xx; the caller then hears the
      // flow's apology and error route from /voice/fallback, not Twilio's "application error".
      await this.d.redirector!.redirect(
        callSid,
        await this.d.links.url(rec, callSid),
        `${this.d.publicBaseUrl}/voice/fallback`,
      );
    } catch (err) {
      await this.d.transfers.consumeToken(rec.id);
      const e = err as BootlineError;
      const twilioCode = typeof e.details?.twilioCode === 'number' ? e.details.twilioCode : undefined;
      const failed = await this.d.transfers.update(rec.id, {
        status: 'failed',
        error: { code: e.code ?? 'INTERNAL', message: e.message, ...(twilioCode ? { twilioCode } : {}) },
      });
      this.d.logger.warn({ ...log, code: e.code, twilioCode }, 'agent hand-in refused by Twilio');
      throw Object.assign(err as object, { transfer: failed });
    }
    this.d.logger.info(log, 'agent hand-in: call redirected');
    return sent;
  }

  /** Flow, language and number against the flow; returns the prefilled number as E.164. */
  private checkRequest(req: TransferRequest): string | undefined {
    const flow = this.d.flows.get(req.flow);
    if (req.language && !flow.languages[req.language]) {
      throw new BootlineError(
        'BAD_REQUEST',
        `flow ${flow.id} has no language "${req.language}" (has: ${Object.keys(flow.languages).join(', ')})`,
      );
    }
    if (req.returnTo?.startsWith('sip')) this.checkSipReturn(req.returnTo);
    if (req.returnTo?.startsWith('+')) {
      // bootline will <Dial> this number: the flow's countries only, and no premium-rate or
      // shared-cost ranges, so an agent token cannot be turned into a toll-fraud dialer.
      const back = checkPhone('*' + req.returnTo.slice(1), {
        ...flow.phone,
        allowedTypes: ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE'],
      });
      if (!back.ok)
        throw new BootlineError(
          'BAD_REQUEST',
          `returnTo ${maskPhone(req.returnTo)} refused: ` +
            (back.reason === 'country'
              ? `country not allowed (allowed: ${flow.phone.allowedCountries.join(', ')})`
              : back.reason === 'type'
                ? 'premium-rate, shared-cost and other special numbers cannot be dialled'
                : 'not a valid phone number'),
          { reason: back.reason },
        );
    }
    if (!req.number) return undefined;
    const res = checkPhone(req.number.replace(/^\+/, '*'), flow.phone);
    if (res.ok) return res.e164;
    const why = {
      empty: 'no number',
      invalid: 'not a valid phone number',
      country: `country not allowed (allowed: ${flow.phone.allowedCountries.join(', ')})`,
      type: `line type not allowed (allowed: ${flow.phone.allowedTypes.join(', ')})`,
    };
    throw new BootlineError('AGENT_NUMBER_REFUSED', `number refused by flow ${flow.id}: ${why[res.reason]}`, {
      reason: res.reason,
    });
  }

  /**
   * bootline will <Dial><Sip> the returnTo: only to the contact centre's own hosts, so an agent
   * token cannot send callers (with their context headers) to a SIP host of its choosing.
   */
  private checkSipReturn(uri: string): void {
    const host = /@([^:;?>\s]+)/.exec(uri)?.[1]?.toLowerCase() ?? '';
    if (this.d.sipDomains.includes(host)) return;
    throw new BootlineError(
      'BAD_REQUEST',
      this.d.sipDomains.length
        ? `returnTo host "${host}" is not one of AGENT_SIP_DOMAINS (${this.d.sipDomains.join(', ')})`
        : 'returnTo SIP URIs need AGENT_SIP_DOMAINS (the contact centre hosts callers may be returned to)',
      { reason: 'sip-domain' },
    );
  }

  /**
   * Twilio arriving at /voice/handin. Every check happens before the call's state is
   * touched; the token is spent last, so a refused request spends nothing.
   */
  async accept(params: CallParams, urlFlow: string, rawToken: string): Promise<string> {
    const t = parseToken(rawToken);
    const rec = t ? await this.d.transfers.get(t.id) : null;
    if (!t || !rec || rec.callSid !== params.callSid || !tokenMatches(this.key, t, rec.flowId, params.callSid)) {
      throw new BootlineError('AGENT_TOKEN_INVALID', 'context token is malformed, unknown, or for another call');
    }
    if (rec.flowId !== urlFlow)
      throw new BootlineError('AGENT_TOKEN_WRONG_FLOW', `context token is for flow ${rec.flowId}, not ${urlFlow}`);
    if (t.exp < Math.floor(Date.now() / 1000))
      throw new BootlineError('AGENT_TOKEN_EXPIRED', 'context token has expired');
    if (!(await this.d.transfers.consumeToken(rec.id)))
      throw new BootlineError('AGENT_TOKEN_USED', 'context token was already used');
    const flow = this.d.flows.get(rec.flowId);
    const prefill = rec.prefillSealed
      ? (unseal(this.d.dataKey, rec.prefillSealed, `agent-transfer:${rec.id}`) ?? undefined)
      : undefined;
    const twiml = await this.d.engine.handIn(params, rec.flowId, {
      agent: {
        transferId: rec.id,
        ...(rec.agentId ? { agentId: rec.agentId } : {}),
        ...(rec.ticketId ? { ticketId: rec.ticketId } : {}),
        ...(rec.returnTo ? { returnTo: rec.returnTo } : {}),
      },
      ...(rec.language ? { lang: rec.language, start: flow.handIn?.start ?? flow.start } : {}),
      ...(prefill ? { prefill } : {}),
    });
    const bootstrapId = bootstrapIdForCall(params.callSid);
    await this.d.transfers.update(rec.id, { status: 'in-flow', bootstrapId });
    return twiml;
  }
}
