import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../dm/signature.js';
import { BootlineError } from '../errors.js';

/**
 * Where the NETWPIN key comes from: the IMSI of the SIM behind a number (OMA-WAP-TS-ProvBoot
 * §5.3: NETWPIN is the IMSI in semi-octet form). Only the operator's subscriber systems
 * (HLR/HSS or a provisioning API) know it, so bootline asks them at push time, keeps the
 * answer in memory for the one job, and never logs it or writes it to Redis.
 */
export interface SubscriberLookup {
  imsiOf(msisdn: string): Promise<string>;
}

export interface SubscriberLookupTarget {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
}

const IMSI = /^\d{6,15}$/;

/**
 * The HTTP lookup: `POST {url}` with `{"msisdn":"+44…"}`, signed like DM registrations
 * (HMAC-SHA256 over `<timestamp>.<body>`, headers x-bootline-timestamp / x-bootline-signature).
 * 200 `{"imsi":"…"}` → the IMSI; 404 → SUBSCRIBER_UNKNOWN (permanent); 5xx, 408, 429, a
 * network error or a timeout → SUBSCRIBER_LOOKUP_UNAVAILABLE (the job retries).
 */
export function httpSubscriberLookup(target: SubscriberLookupTarget): SubscriberLookup {
  return {
    async imsiOf(msisdn) {
      const body = JSON.stringify({ msisdn });
      const now = Math.floor(Date.now() / 1000);
      let res: Response;
      try {
        res = await fetch(target.url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(target.timeoutMs ?? 5_000),
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: String(now),
            [SIGNATURE_HEADER]: signBody(target.secret, now, body),
          },
        });
      } catch (err) {
        throw new BootlineError(
          'SUBSCRIBER_LOOKUP_UNAVAILABLE',
          `subscriber lookup unreachable: ${(err as Error).message}`,
          {},
          { cause: err },
        );
      }
      if (res.status === 404) {
        await res.body?.cancel();
        throw new BootlineError('SUBSCRIBER_UNKNOWN', 'the subscriber lookup knows no IMSI for this number');
      }
      if (!res.ok) {
        await res.body?.cancel();
        // 401/403: our signature was refused — a secret to fix, after which the job should go through.
        const permanent = res.status < 500 && ![401, 403, 408, 429].includes(res.status);
        const hint = res.status === 401 || res.status === 403 ? ' (check SUBSCRIBER_LOOKUP_SECRET)' : '';
        throw new BootlineError(
          permanent ? 'SUBSCRIBER_UNKNOWN' : 'SUBSCRIBER_LOOKUP_UNAVAILABLE',
          `subscriber lookup answered ${res.status}${hint}`,
          { status: res.status },
        );
      }
      const imsi = ((await res.json().catch(() => ({}))) as { imsi?: unknown }).imsi;
      if (typeof imsi !== 'string' || !IMSI.test(imsi))
        throw new BootlineError(
          'SUBSCRIBER_LOOKUP_UNAVAILABLE',
          'subscriber lookup answered without a 6-15 digit IMSI',
        );
      return imsi;
    },
  };
}
