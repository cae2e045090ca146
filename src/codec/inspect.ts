/**
 * Layer-by-layer dissection of a received push (what `bootline push inspect` prints):
 * SMS segments → WSP Push → WBXML → XML, and whether the MAC verifies for the secret the
 * engineer supplies. Pure: bytes and secrets in, a report out.
 */
import { BootlineError } from '../errors.js';
import { verifyMac, verifyUserPinMacCode, type SecInput, type SecMethod } from './security/mac.js';
import { reassembleDetailed } from './sms/reassemble.js';
import type { Udh } from './sms/udh.js';
import { decodeWbxml, type DecodedWbxml } from './wbxml/decoder.js';
import { parsePush, type ParsedPush } from './wsp/parse.js';
import { WSP_APPLICATION_IDS } from './wsp/tables.js';

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
  const wbxml = decodeWbxml(wsp.body);
  const userCode =
    secrets.userCode === undefined
      ? undefined
      : verifyUserPinMacCode(wsp.body, secrets.userCode)
        ? { status: 'ok' as const, note: 'USERPINMAC code verifies' }
        : { status: 'mismatch' as const, note: 'USERPINMAC code does NOT verify' };
  return { ...(r ? { udhs: r.udhs } : {}), wsp, wbxml, mac: checkMac(wsp, secrets), ...(userCode ? { userCode } : {}) };
}

const hx = (n: number, w = 2) => '0x' + n.toString(16).toUpperCase().padStart(w, '0');

function smsLines(udhs: readonly Udh[]): string[] {
  const first = udhs[0];
  const c = first?.concat;
  const out = [
    `SMS: ${udhs.length} segment(s)${c ? `, reference ${c.reference} (${c.referenceBits}-bit)` : ''}, ` +
      `ports ${first?.destinationPort ?? '-'} <- ${first?.sourcePort ?? '-'}`,
  ];
  udhs.forEach((u, i) => {
    out.push(
      `  segment ${i + 1}: ${u.concat ? `part ${u.concat.seq}/${u.concat.total}` : 'single'}, ` +
        `IEs ${u.elements.map((e) => hx(e.iei)).join(' ')}`,
    );
  });
  return out;
}

function wspLines(w: ParsedPush): string[] {
  const ct = w.contentType;
  const out = [
    `WSP: TID ${hx(w.tid)}, PDU type ${hx(w.pduType)} (Push), HeadersLen ${w.headersLength}`,
    `  Content-Type: ${ct.mediaType}${ct.code === undefined ? '' : ` (${hx(ct.code)})`}`,
  ];
  for (const p of ct.params)
    out.push(`  ${p.name}: ${p.code === 0x11 ? `${w.sec ?? 'unknown'} (${String(p.value)})` : String(p.value)}`);
  for (const h of w.headers) {
    const v =
      typeof h.value === 'number' && h.code === 0x2f
        ? `${WSP_APPLICATION_IDS[h.value] ?? 'unregistered'} (${hx(h.value)})`
        : String(h.value);
    out.push(`  ${h.name}: ${v}`);
  }
  out.push(`  body: ${w.body.length} octets at offset ${w.bodyOffset}`);
  return out;
}

export function formatInspection(r: InspectReport): string {
  const b = r.wbxml;
  const pid = b.publicIdLiteral ?? hx(b.publicId);
  const lines = [
    ...(r.udhs ? smsLines(r.udhs) : []),
    ...wspLines(r.wsp),
    `WBXML: version 1.${b.version}, public id ${pid} (${b.language}), ` +
      `charset UTF-8, string table ${b.stringTable.length} octets`,
    `MAC: ${r.mac.status} — ${r.mac.note}`,
    ...(r.userCode ? [`User code: ${r.userCode.status} — ${r.userCode.note}`] : []),
    '',
    b.xml.trimEnd(),
    '',
  ];
  return lines.join('\n');
}
