/**
 * Layer-by-layer dissection of a received push (what `bootline push inspect` prints):
 * SMS segments → WSP Push → WBXML → XML, whether the MAC verifies for the secret the
 * engineer supplies, and what a strict handset would say (strict.ts). The layers are read
 * leniently — a push a handset refuses can still be shown — and forbidden XML characters in
 * the body are escaped visibly. Pure: bytes and secrets in, a report out.
 */
import { BootlineError } from '../../errors.js';
import { verifyMac, verifyUserPinMacCode, type SecInput, type SecMethod } from '../security/mac.js';
import { reassembleDetailed } from '../sms/reassemble.js';
import type { Udh } from '../sms/udh.js';
import { decodeWbxml, type DecodedWbxml } from '../wbxml/decoder.js';
import { parsePush, type ParsedPush } from '../wsp/parse.js';
import { type Finding, strictFindings, type Verdict, verdictOf } from './strict.js';

export interface Secrets {
  readonly pin?: string;
  readonly imsi?: string;
  readonly userCode?: string;
}
export type CheckStatus = 'ok' | 'mismatch' | 'unchecked';
export interface InspectReport {
  readonly udhs?: readonly Udh[];
  readonly wsp: ParsedPush;
  readonly wbxml: DecodedWbxml;
  readonly mac: { readonly status: CheckStatus; readonly note: string };
  readonly userCode?: { readonly status: CheckStatus; readonly note: string };
  /** What a strict handset refuses (empty when it would take the push). */
  readonly findings: readonly Finding[];
  readonly verdict: Verdict;
}

function secInput(method: SecMethod | undefined, s: Secrets): SecInput | string {
  switch (method) {
    case 'NETWPIN':
      return s.imsi ? { method, imsi: s.imsi } : 'give --imsi';
    case 'USERPIN':
      return s.pin ? { method, pin: s.pin } : 'give --pin';
    case 'USERNETWPIN':
      return s.imsi && s.pin ? { method, imsi: s.imsi, pin: s.pin } : 'give --imsi and --pin';
    case 'USERPINMAC': {
      const k = s.userCode ? s.userCode.slice(0, s.userCode.length / 2) : s.pin;
      return k ? { method, userKey: k } : 'give --user-code (K‖m) or --pin K';
    }
    default:
      return 'the push has no known SEC parameter';
  }
}

/** The MAC's value, compared case-insensitively; how it is written is strict.ts's concern. */
function checkMac(wsp: ParsedPush, s: Secrets): InspectReport['mac'] {
  if (wsp.mac === undefined) return { status: 'unchecked', note: 'the push has no MAC parameter' };
  const sec = secInput(wsp.sec, s);
  if (typeof sec === 'string') return { status: 'unchecked', note: sec };
  try {
    return verifyMac(wsp.body, wsp.mac, sec)
      ? { status: 'ok', note: `verifies with ${wsp.sec}` }
      : { status: 'mismatch', note: `does NOT verify with ${wsp.sec} and the given secret` };
  } catch (err) {
    if (err instanceof BootlineError) return { status: 'unchecked', note: `${err.code}: ${err.message}` };
    throw err;
  }
}

export function inspectPush(
  input: { wsp: Uint8Array } | { segments: readonly Uint8Array[] },
  secrets: Secrets = {},
): InspectReport {
  const r = 'wsp' in input ? undefined : reassembleDetailed(input.segments);
  const wsp = parsePush(r ? r.wsp : (input as { wsp: Uint8Array }).wsp);
  const wbxml = decodeWbxml(wsp.body, { forbiddenChars: 'escape' });
  const userCode =
    secrets.userCode === undefined
      ? undefined
      : verifyUserPinMacCode(wsp.body, secrets.userCode)
        ? { status: 'ok' as const, note: 'USERPINMAC code verifies' }
        : { status: 'mismatch' as const, note: 'USERPINMAC code does NOT verify' };
  const mac = checkMac(wsp, secrets);
  const findings = strictFindings({
    ...(r ? { udhs: r.udhs } : {}),
    wsp,
    escapedChars: wbxml.escapedChars,
    mac,
    userCode,
  });
  return {
    ...(r ? { udhs: r.udhs } : {}),
    wsp,
    wbxml,
    mac,
    ...(userCode ? { userCode } : {}),
    findings,
    verdict: verdictOf(findings, userCode ?? mac),
  };
}
