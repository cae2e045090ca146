/**
 * What a strict handset refuses. `push inspect` decodes leniently so an engineer can see any
 * push, then judges it as the strictest receivers do (3GPP TS 23.040 §9.2.3.24.4, WAP-230 §8.4.2.24,
 * OMA-WAP-ProvBoot-V1_1 "The Generic Security Mechanism"):
 *  - the SMS must carry the 16-bit application port IE with destination 2948 (WAP connectionless
 *    push) in every segment — Android's SmsHeader routes on PORT_WAP_PUSH 2948 and nothing else;
 *  - SEC is a Short-integer, once (WAP-230 table 38; a receiver reading the first of two, or a
 *    Long-integer, is lenient, not conformant); MAC is a Text-value, once, of 40 uppercase hex
 *    digits (Intel cpclient compares with strcmp against %02X, Gecko against toUpperCase());
 *  - a bootstrap without SEC or MAC cannot be authenticated (ProvBoot; OMA DM Bootstrap: the
 *    security appropriate for the transport MUST be employed);
 *  - the content type routes it to the CP or DM client (0x36 or 0x42);
 *  - the MAC (and a USERPINMAC user code) verify, when the engineer gave the secret;
 *  - the body decodes to well-formed XML (no character XML 1.0 forbids).
 */
import { BootlineError } from '../../errors.js';
import { SEC_BY_VALUE } from '../security/mac.js';
import { WAP_PUSH_PORT, type Udh } from '../sms/udh.js';
import type { ParsedPush } from '../wsp/parse.js';
import { CONTENT_TYPE_CP, CONTENT_TYPE_DM, MAC_LENGTH, WSP_PARAM } from '../wsp/tables.js';

export type FindingCode =
  | 'PORT_IE_MISSING'
  | 'DESTINATION_PORT_NOT_WAP_PUSH'
  | 'CONTENT_TYPE_NOT_BOOTSTRAP'
  | 'SEC_MISSING'
  | 'SEC_DUPLICATED'
  | 'SEC_NOT_SHORT_INTEGER'
  | 'SEC_UNKNOWN'
  | 'MAC_MISSING'
  | 'MAC_DUPLICATED'
  | 'MAC_NOT_UPPERCASE_HEX'
  | 'MAC_MISMATCH'
  | 'USER_CODE_MISMATCH'
  | 'FORBIDDEN_XML_CHAR';

export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
}

/** accepted: nothing refused and the MAC verified; unverified: nothing refused, but no secret to check the MAC. */
export type Verdict = 'accepted' | 'refused' | 'unverified';

const UPPER_HEX_40 = new RegExp(`^[0-9A-F]{${MAC_LENGTH}}$`);

export function portFindings(udhs: readonly Udh[]): Finding[] {
  const out: Finding[] = [];
  udhs.forEach((u, i) => {
    const seg = udhs.length > 1 ? `segment ${i + 1}: ` : '';
    if (u.destinationPort === undefined)
      out.push({
        code: 'PORT_IE_MISSING',
        message: `${seg}no application port IE; the handset cannot route it to WAP push`,
      });
    else if (u.destinationPort !== WAP_PUSH_PORT)
      out.push({
        code: 'DESTINATION_PORT_NOT_WAP_PUSH',
        message: `${seg}destination port ${u.destinationPort} (source ${u.sourcePort}); WAP push is ${WAP_PUSH_PORT}`,
      });
  });
  return out;
}

function secFindings(w: ParsedPush): Finding[] {
  const secs = w.contentType.params.filter((p) => p.code === WSP_PARAM.SEC);
  if (secs.length === 0)
    return [{ code: 'SEC_MISSING', message: 'no SEC parameter: the push cannot be authenticated' }];
  const out: Finding[] = [];
  if (secs.length > 1)
    out.push({
      code: 'SEC_DUPLICATED',
      message: `${secs.length} SEC parameters (${secs.map((s) => s.value).join(', ')})`,
    });
  for (const s of secs) {
    if (s.form === 'long-integer')
      out.push({
        code: 'SEC_NOT_SHORT_INTEGER',
        message: `SEC ${s.value} is a Long-integer; WSP defines a Short-integer`,
      });
    if (typeof s.value !== 'number' || !SEC_BY_VALUE.has(s.value))
      out.push({ code: 'SEC_UNKNOWN', message: `SEC ${String(s.value)} names no method (0-3)` });
  }
  return out;
}

function macFindings(w: ParsedPush): Finding[] {
  const macs = w.contentType.params.filter((p) => p.code === WSP_PARAM.MAC);
  if (macs.length === 0)
    return [{ code: 'MAC_MISSING', message: 'no MAC parameter: the push cannot be authenticated' }];
  const out: Finding[] = [];
  if (macs.length > 1) out.push({ code: 'MAC_DUPLICATED', message: `${macs.length} MAC parameters` });
  for (const m of macs)
    if (!UPPER_HEX_40.test(String(m.value)))
      out.push({
        code: 'MAC_NOT_UPPERCASE_HEX',
        message: `MAC "${String(m.value)}" is not ${MAC_LENGTH} uppercase hex digits; receivers compare it exactly`,
      });
  return out;
}

export interface StrictInput {
  readonly udhs?: readonly Udh[];
  readonly wsp: ParsedPush;
  readonly escapedChars: number;
  readonly mac: { readonly status: string };
  readonly userCode?: { readonly status: string };
}

export function strictFindings(r: StrictInput): Finding[] {
  const ct = r.wsp.contentType.code;
  return [
    ...(r.udhs ? portFindings(r.udhs) : []),
    ...(ct === CONTENT_TYPE_CP || ct === CONTENT_TYPE_DM
      ? []
      : [{ code: 'CONTENT_TYPE_NOT_BOOTSTRAP' as const, message: `content type ${r.wsp.contentType.mediaType}` }]),
    ...secFindings(r.wsp),
    ...macFindings(r.wsp),
    ...(r.mac.status === 'mismatch' ? [{ code: 'MAC_MISMATCH' as const, message: 'the MAC does not verify' }] : []),
    ...(r.userCode?.status === 'mismatch'
      ? [{ code: 'USER_CODE_MISMATCH' as const, message: 'the USERPINMAC user code does not verify' }]
      : []),
    ...(r.escapedChars > 0
      ? [
          {
            code: 'FORBIDDEN_XML_CHAR' as const,
            message: `${r.escapedChars} character(s) XML 1.0 forbids (shown \\uXXXX)`,
          },
        ]
      : []),
  ];
}

export function verdictOf(findings: readonly Finding[], mac: { readonly status: string }): Verdict {
  if (findings.length > 0) return 'refused';
  return mac.status === 'ok' ? 'accepted' : 'unverified';
}

/** For callers that want an exception: PUSH_STRICT_REFUSED with the findings in details. */
export function assertStrictlyAcceptable(r: { readonly findings: readonly Finding[] }): void {
  if (r.findings.length === 0) return;
  throw new BootlineError(
    'PUSH_STRICT_REFUSED',
    `a strict handset would refuse this push: ${r.findings.map((f) => f.code).join(', ')}`,
    { findings: r.findings },
  );
}
