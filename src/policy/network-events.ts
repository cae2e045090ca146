/**
 * What bootline does with each network event type (NETWORK_EVENTS_POLICY). CAMARA Device Swap
 * and SIM Swap notifications (camaraproject/DeviceSwap, camaraproject/SimSwap subscriptions
 * APIs) and bootline's own first-attach trigger (an HLR/HSS sees a new IMEI on the number,
 * 3GPP TS 23.012 Update Location carrying the IMEISV) each map to one action:
 *
 *   bootstrap[:SEC]   queue a bootstrap for data.phoneNumber (default SEC NETWPIN: nobody is
 *                     there to type a PIN, the handset derives the key from its IMSI)
 *   block:DURATION    queue nothing; refuse bootstraps to that number from every door for the
 *                     window (a SIM swap is the classic account-takeover signal)
 *   ignore            answer 202 and do nothing
 */
export const NETWORK_EVENT_TYPES = {
  deviceSwap: 'org.camaraproject.device-swap-subscriptions.v0.swapped',
  simSwap: 'org.camaraproject.sim-swap-subscriptions.v0.swapped',
  deviceAttached: 'org.bootline.network.device-attached',
} as const;

export type NetworkAction =
  | { readonly kind: 'bootstrap'; readonly sec: 'USERPIN' | 'NETWPIN' | 'USERNETWPIN' | 'USERPINMAC' }
  | { readonly kind: 'block'; readonly seconds: number }
  | { readonly kind: 'ignore' };

export type NetworkPolicy = ReadonlyMap<string, NetworkAction>;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const SECS = ['USERPIN', 'NETWPIN', 'USERNETWPIN', 'USERPINMAC'] as const;

function parseAction(text: string): NetworkAction {
  const [kind = '', arg] = text.split(':', 2);
  if (kind === 'ignore' && arg === undefined) return { kind };
  if (kind === 'bootstrap') {
    const sec = (arg ?? 'NETWPIN') as (typeof SECS)[number];
    if (!SECS.includes(sec)) throw new Error(`"${text}": SEC must be one of ${SECS.join(', ')}`);
    return { kind, sec };
  }
  if (kind === 'block') {
    const m = /^(\d{1,5})([smhd])$/.exec(arg ?? '');
    if (!m) throw new Error(`"${text}": a block needs a window like block:24h (units s, m, h, d)`);
    return { kind, seconds: Number(m[1]) * UNITS[m[2]!]! };
  }
  throw new Error(`"${text}" is not an action (bootstrap[:SEC], block:DURATION, ignore)`);
}

export const DEFAULT_NETWORK_POLICY: NetworkPolicy = new Map<string, NetworkAction>([
  [NETWORK_EVENT_TYPES.deviceSwap, { kind: 'bootstrap', sec: 'NETWPIN' }],
  [NETWORK_EVENT_TYPES.simSwap, { kind: 'block', seconds: 24 * 3600 }],
  [NETWORK_EVENT_TYPES.deviceAttached, { kind: 'bootstrap', sec: 'NETWPIN' }],
]);

/** "type=action,type=action" over the defaults; a type not in the table is ignored. */
export function parseNetworkPolicy(text: string | undefined): NetworkPolicy {
  const out = new Map(DEFAULT_NETWORK_POLICY);
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf('=');
    const type = part.slice(0, at).trim();
    if (at < 1 || !/^[A-Za-z0-9._-]{1,200}$/.test(type)) throw new Error(`"${part}" is not type=action`);
    out.set(type, parseAction(part.slice(at + 1).trim()));
  }
  return out;
}
