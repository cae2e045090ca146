/**
 * The x-syncml-hmac transport header (OMA-TS-DM_Security-V1_2 §5.1.4.3):
 *
 *   syncml-hmac = #( "algorithm" "=" ("MD5" | token) | "username" "=" quoted-string | "mac" "=" base64 )
 *
 * `username` and `mac` MUST be present; a missing algorithm means MD5. The username is the
 * LocName of the sender's SyncHdr Source, so the mac can be checked before the body is parsed.
 */

export interface HmacHeader {
  readonly algorithm: string;
  readonly username: string;
  readonly mac: string;
}

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export function formatHmacHeader(h: Omit<HmacHeader, 'algorithm'> & { algorithm?: string }): string {
  return `algorithm=${h.algorithm ?? 'MD5'}, username=${quote(h.username)}, mac=${h.mac}`;
}

/** One parameter at `at`: name "=" (quoted-string | token); returns it and the offset after it. */
function param(v: string, at: number): { name: string; value: string; next: number } | null {
  const m = /^\s*([A-Za-z-]+)\s*=\s*/.exec(v.slice(at));
  if (!m) return null;
  let i = at + m[0].length;
  let value = '';
  if (v[i] === '"') {
    for (i++; i < v.length && v[i] !== '"'; i++) value += v[i] === '\\' ? v[++i] : v[i];
    if (v[i] !== '"') return null;
    i++;
  } else {
    const t = /^[^\s,]*/.exec(v.slice(i))![0];
    value = t;
    i += t.length;
  }
  return { name: m[1]!.toLowerCase(), value, next: i };
}

/** Parses the header value; null when malformed or username/mac is missing. */
export function parseHmacHeader(value: string | undefined): HmacHeader | null {
  if (!value) return null;
  const out: Record<string, string> = {};
  let at = 0;
  while (at < value.length) {
    const p = param(value, at);
    if (!p || p.name in out) return null;
    out[p.name] = p.value;
    const sep = /^\s*(,|$)/.exec(value.slice(p.next));
    if (!sep) return null;
    at = p.next + sep[0].length;
  }
  if (!out.username || !out.mac) return null;
  return { algorithm: out.algorithm ?? 'MD5', username: out.username, mac: out.mac };
}
