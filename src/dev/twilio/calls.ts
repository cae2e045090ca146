/** Moves a call to new TwiML: the simulator in tests, a polling `bootline call` in dev. */
export interface CallDriver {
  redirect(url: string, method: string, fallbackUrl?: string): Promise<unknown>;
}

/** A Calls update's new URL, and the URL Twilio falls back to when that one answers an error. */
export interface Redirect {
  readonly url: string;
  readonly method: string;
  readonly fallbackUrl?: string;
}

export interface StandInCall {
  readonly sid: string;
  status: 'in-progress' | 'completed';
  readonly driver: CallDriver | null;
  /** Redirects waiting for a remote driver (dev: `bootline call` polls them). */
  readonly inbox: Redirect[];
  /** The last redirect's outcome, for tests that wait until the call reached its new URL. */
  last: Promise<unknown>;
}

/** Twilio's error body: `{code, message, more_info, status}` (https://www.twilio.com/docs/api/errors). */
export interface TwilioErrorBody {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The call resource as Twilio returns it (the fields bootline or a curious developer reads). */
export function callResource(accountSid: string, c: StandInCall) {
  return {
    sid: c.sid,
    account_sid: accountSid,
    status: c.status,
    api_version: '2010-04-01',
    direction: 'inbound',
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${c.sid}.json`,
    date_updated: new Date().toUTCString(),
  };
}
