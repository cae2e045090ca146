/** The text `bootline push inspect` prints for an InspectReport: one block per layer, the verdict, then the XML. */
import { SEC_BY_VALUE } from '../security/mac.js';
import type { Udh } from '../sms/udh.js';
import type { ParsedPush } from '../wsp/parse.js';
import { WSP_APPLICATION_IDS, WSP_PARAM } from '../wsp/tables.js';
import type { InspectReport } from './report.js';

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

function paramValue(p: ParsedPush['contentType']['params'][number]): string {
  if (p.code !== WSP_PARAM.SEC) return String(p.value);
  const method = typeof p.value === 'number' ? SEC_BY_VALUE.get(p.value) : undefined;
  return `${method ?? 'unknown'} (${String(p.value)}${p.form === 'long-integer' ? ', Long-integer' : ''})`;
}

function wspLines(w: ParsedPush): string[] {
  const ct = w.contentType;
  const out = [
    `WSP: TID ${hx(w.tid)}, PDU type ${hx(w.pduType)} (Push), HeadersLen ${w.headersLength}`,
    `  Content-Type: ${ct.mediaType}${ct.code === undefined ? '' : ` (${hx(ct.code)})`}`,
  ];
  for (const p of ct.params) out.push(`  ${p.name}: ${paramValue(p)}`);
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

const VERDICTS = {
  accepted: 'Verdict: ACCEPTED — a strict handset takes this push',
  unverified: 'Verdict: UNVERIFIED — nothing a strict handset refuses, but the MAC was not checked',
  refused: 'Verdict: REFUSED — a strict handset drops this push:',
} as const;

function verdictLines(r: InspectReport, strict: boolean): string[] {
  const items = r.findings.map((f) => `  ${f.code}: ${f.message}`);
  if (!strict)
    return r.findings.length ? ['Strict checks off (--lenient); a strict handset would object:', ...items] : [];
  return [VERDICTS[r.verdict], ...items, ...(r.udhs ? [] : ['  (input is a WSP PDU: the SMS ports were not checked)'])];
}

export function formatInspection(r: InspectReport, opts: { strict?: boolean } = {}): string {
  const b = r.wbxml;
  const pid = b.publicIdLiteral ?? hx(b.publicId);
  const lines = [
    ...(r.udhs ? smsLines(r.udhs) : []),
    ...wspLines(r.wsp),
    `WBXML: version 1.${b.version}, public id ${pid} (${b.language}), ` +
      `charset UTF-8, string table ${b.stringTable.length} octets`,
    `MAC: ${r.mac.status} — ${r.mac.note}`,
    ...(r.userCode ? [`User code: ${r.userCode.status} — ${r.userCode.note}`] : []),
    ...verdictLines(r, opts.strict ?? true),
    '',
    b.xml.trimEnd(),
    '',
  ];
  return lines.join('\n');
}
