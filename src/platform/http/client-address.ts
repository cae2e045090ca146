import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Who is asking, when proxies stand in between. Only hops from TRUSTED_PROXIES are believed:
 * X-Forwarded-For is read right to left (each proxy appends the address it saw), skipping
 * trusted proxies, and the first address that is not one is the client. Anyone else may write
 * any X-Forwarded-For they like, so without trusted proxies it is ignored and the socket's
 * peer is the client. The same holds for X-Forwarded-Proto.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** IPv4 / IPv6 addresses and CIDR ranges, and `loopback` (127.0.0.0/8, ::1). */
  constructor(entries: readonly string[]) {
    for (const e of entries) {
      if (e === 'loopback') {
        this.list.addSubnet('127.0.0.0', 8, 'ipv4');
        this.list.addAddress('::1', 'ipv6');
        continue;
      }
      const [addr = '', bits] = e.split('/');
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, Number(bits), type);
    }
    this.size = entries.length;
  }

  /** Why an entry cannot be used (for the configuration check), or null. */
  static problem(entry: string): string | null {
    if (entry === 'loopback') return null;
    const [addr = '', bits, extra] = entry.split('/');
    const v = isIP(addr);
    if (!v || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
    if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128)))
      return `"${entry}" has a bad prefix length`;
    return null;
  }

  trusts(address: string | undefined): boolean {
    if (!address || this.size === 0) return false;
    const plain = unmapped(address);
    const v = isIP(plain);
    return v !== 0 && this.list.check(plain, v === 6 ? 'ipv6' : 'ipv4');
  }
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
const unmapped = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

function forwardedFor(req: IncomingMessage): string[] {
  const raw = req.headers['x-forwarded-for'];
  const joined = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return joined
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The client's address: the socket's peer, or the first untrusted hop of X-Forwarded-For behind trusted proxies. */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  let addr = unmapped(req.socket.remoteAddress ?? 'unknown');
  const hops = forwardedFor(req);
  while (trusted.trusts(addr) && hops.length) {
    const next = hops.pop()!;
    if (!isIP(unmapped(next))) break;
    addr = unmapped(next);
  }
  return addr;
}

/** Whether the client reached us over TLS: our own socket, or a trusted proxy saying so (X-Forwarded-Proto). */
export function requestIsHttps(req: IncomingMessage, trusted: TrustedProxies): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  if (!trusted.trusts(req.socket.remoteAddress)) return false;
  // The last value: what the nearest proxy (the trusted one) saw; earlier ones came from further out.
  const proto = req.headers['x-forwarded-proto'];
  const last = (Array.isArray(proto) ? proto.join(',') : (proto ?? '')).split(',').pop()?.trim().toLowerCase();
  return last === 'https';
}

/**
 * Hosts a browser treats as secure over plain HTTP (W3C Secure Contexts §3.1 "potentially
 * trustworthy"): `localhost` and its subdomains, loopback addresses. It keeps Secure cookies
 * there; anywhere else over HTTP it drops them.
 */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  const host = (hostHeader ?? '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
