/**
 * The handset's view of the network in dev: a DM server host name resolves to a loopback
 * host:port, reached over plain HTTP (the stand-in has no certificate for the real name), the
 * way a test DNS and a TLS-terminating proxy would make it. Unmapped addresses are used as given.
 */
export function testDns(url: string, hosts: Readonly<Record<string, string>>): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const to = hosts[u.hostname] ?? hosts[u.host];
  if (!to) return url;
  return `http://${to}${u.pathname}${u.search}`;
}
