import twilio from 'twilio';
import { BootlineError } from '../errors.js';
import type RequestClientNs from 'twilio/lib/base/RequestClient.js';

/** What a hand-in needs from Twilio: move a live call leg to new TwiML. */
export interface CallRedirector {
  /**
   * Resolves once Twilio accepted the redirect; throws a BootlineError with Twilio's code otherwise.
   * Twilio requests `fallbackUrl` when `url` answers an error (a refused hand-in token, say).
   */
  redirect(callSid: string, url: string, fallbackUrl: string): Promise<void>;
}

const TWILIO_API = 'https://api.twilio.com';
type RequestOptions<T> = RequestClientNs.RequestOptions<T>;

/**
 * The twilio package's own HTTP client, with the API host swapped for TWILIO_API_BASE_URL
 * (the local stand-in in dev and tests). Everything else — auth, form encoding, error
 * parsing into RestException — stays the library's.
 */
class BaseUrlClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 10_000 });
  }

  override request<T>(opts: RequestOptions<T>) {
    const uri = opts.uri.startsWith(TWILIO_API) ? this.base + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request<T>({ ...opts, uri });
  }
}

/**
 * Twilio errors the agent can act on get their own codes; every other refusal is
 * TWILIO_REST_ERROR. Twilio's numeric code and status are always in `details`.
 * 20404 = no such resource; 21220 = "Call is not in-progress. Cannot redirect."
 */
export function twilioError(err: unknown): BootlineError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown };
  const status = typeof e?.status === 'number' ? e.status : 0;
  const twilioCode = typeof e?.code === 'number' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const details = {
    twilioStatus: status,
    ...(twilioCode ? { twilioCode } : {}),
    ...(typeof e?.moreInfo === 'string' ? { moreInfo: e.moreInfo } : {}),
  };
  if (status === 404 || twilioCode === 20404)
    return new BootlineError('AGENT_CALL_NOT_FOUND', `Twilio: ${message}`, details);
  if (twilioCode === 21220) return new BootlineError('AGENT_CALL_NOT_ACTIVE', `Twilio: ${message}`, details);
  return new BootlineError(
    'TWILIO_REST_ERROR',
    status ? `Twilio: ${message}` : `Twilio REST API unreachable: ${message}`,
    details,
  );
}

export function twilioRedirector(o: { accountSid: string; authToken: string; apiBaseUrl: string }): CallRedirector {
  const client = twilio(o.accountSid, o.authToken, { httpClient: new BaseUrlClient(o.apiBaseUrl.replace(/\/+$/, '')) });
  return {
    async redirect(callSid, url, fallbackUrl) {
      try {
        await client.calls(callSid).update({ url, method: 'POST', fallbackUrl, fallbackMethod: 'POST' });
      } catch (err) {
        throw twilioError(err);
      }
    },
  };
}
