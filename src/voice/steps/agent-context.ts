import type { AgentLink } from '../call-state.js';

/** The call context handed to a person, as <Task> JSON, SIP X-headers or Client parameters. */
export interface AgentContextFields {
  readonly maskedNumber: string | null;
  readonly language: string;
  readonly reason: string;
  readonly lastStep: string | null;
  readonly bootstrapId: string | null;
  /** Where the call stands: the number proved (code or attested caller ID), and the push's status. */
  readonly verified: boolean;
  readonly bootstrapStatus: string | null;
  readonly callSid: string;
  readonly transferId?: string;
  readonly agentId?: string;
  readonly ticketId?: string;
  /** The agent a returning caller should reach (a TaskRouter workflow can target that worker). */
  readonly returnToAgentId?: string;
}

/** The hand-in ids, for a caller a support agent sent into the flow. */
export function agentContext(link: AgentLink, returning: boolean): Partial<AgentContextFields> {
  return {
    transferId: link.transferId,
    ...(link.agentId ? { agentId: link.agentId } : {}),
    ...(link.ticketId ? { ticketId: link.ticketId } : {}),
    ...(returning && link.agentId ? { returnToAgentId: link.agentId } : {}),
  };
}

/** Field → SIP header. Twilio passes `X-` headers appended to the SIP URI as query parameters. */
const SIP_HEADERS: Readonly<Record<keyof AgentContextFields, string>> = {
  maskedNumber: 'X-Bootline-Number',
  language: 'X-Bootline-Language',
  reason: 'X-Bootline-Reason',
  lastStep: 'X-Bootline-Last-Step',
  bootstrapId: 'X-Bootline-Bootstrap-Id',
  verified: 'X-Bootline-Verified',
  bootstrapStatus: 'X-Bootline-Bootstrap-Status',
  callSid: 'X-Bootline-Call-Sid',
  transferId: 'X-Bootline-Transfer-Id',
  agentId: 'X-Bootline-Agent-Id',
  ticketId: 'X-Bootline-Ticket-Id',
  returnToAgentId: 'X-Bootline-Return-To-Agent',
};

/**
 * "sip:agents@pbx?X-Bootline-Reason=max-attempts&…" — Twilio's way of sending custom SIP
 * headers on <Dial><Sip> (names must start with X-, values URL-encoded, 1 kB in total).
 */
export function sipWithHeaders(uri: string, fields: AgentContextFields): string {
  const q = Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${SIP_HEADERS[k as keyof AgentContextFields]}=${encodeURIComponent(String(v))}`);
  return q.length ? `${uri}?${q.join('&')}` : uri;
}
