import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { parseTwiml, spokenText, type Verb } from './twiml.js';

/** How the simulator reaches bootline: real HTTP (fetch) or supertest in tests. */
export type Transport = (url: string, params: Record<string, string>, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

export const fetchTransport: Transport = async (url, params, headers) => {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  return { status: res.status, body: await res.text() };
};

export interface Turn {
  readonly status: number;
  readonly verbs: readonly Verb[];
  readonly says: readonly string[];
  readonly gather?: { readonly action: string; readonly numDigits?: number; readonly finishOnKey: string };
  readonly hungUp: boolean;
}

export interface SimulatorOptions {
  readonly transport: Transport;
  readonly baseUrl: string;
  readonly authToken: string;
  readonly from?: string;
  readonly to?: string;
  readonly callSid?: string;
  /** Extra webhook parameters on every request (e.g. StirVerstat). */
  readonly extra?: Readonly<Record<string, string>>;
}

export function newCallSid(): string {
  return 'CA' + randomBytes(16).toString('hex');
}

/**
 * Plays Twilio's part of a call: signs each webhook exactly as Twilio does, follows
 * <Redirect>, remembers the current <Gather> so `press()` posts the keys to its action.
 */
export class CallSimulator {
  readonly callSid: string;
  readonly transcript: string[] = [];
  private current: Turn | null = null;

  constructor(private readonly o: SimulatorOptions) {
    this.callSid = o.callSid ?? newCallSid();
  }

  get turn(): Turn | null { return this.current; }

  dial(path = '/voice/incoming'): Promise<Turn> {
    return this.post(this.o.baseUrl + path, {});
  }

  /** Keys typed into the current Gather (the finish key is not part of Digits, as with Twilio). */
  press(digits: string): Promise<Turn> {
    const g = this.current?.gather;
    if (!g) throw new Error('the call is not waiting for keys');
    return this.post(g.action, { Digits: digits, FinishedOnKey: g.finishOnKey && !g.numDigits ? g.finishOnKey : '' });
  }

  /** The caller says nothing until the Gather times out (actionOnEmptyResult posts empty Digits). */
  silence(): Promise<Turn> {
    return this.press('');
  }

  async hangup(): Promise<number> {
    const r = await this.send(this.o.baseUrl + '/voice/status', { CallStatus: 'completed', CallDuration: '42' });
    return r.status;
  }

  /** Sends a signed webhook with the standard call parameters plus `params`. */
  send(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const all: Record<string, string> = {
      AccountSid: 'AC' + '0'.repeat(32), ApiVersion: '2010-04-01', CallSid: this.callSid, CallStatus: 'in-progress',
      Direction: 'inbound', From: this.o.from ?? '+447400000001', To: this.o.to ?? '+448000000000', ...this.o.extra, ...params,
    };
    const signature = twilio.getExpectedTwilioSignature(this.o.authToken, url, all);
    return this.o.transport(url, all, { 'X-Twilio-Signature': signature });
  }

  private async post(url: string, params: Record<string, string>, hops = 0): Promise<Turn> {
    const res = await this.send(url, params);
    if (res.status !== 200) return this.remember({ status: res.status, verbs: [], says: [], hungUp: true });
    const verbs = parseTwiml(res.body);
    const redirect = verbs.find((v) => v.verb === 'Redirect');
    const says = spokenText(verbs);
    this.transcript.push(...says);
    if (redirect && hops < 20) return this.post(redirect.text, {}, hops + 1);
    const g = verbs.find((v) => v.verb === 'Gather');
    return this.remember({
      status: res.status, verbs, says, hungUp: !g,
      ...(g ? { gather: { action: g.attrs.action ?? url, finishOnKey: g.attrs.finishOnKey ?? '#', ...(g.attrs.numDigits ? { numDigits: Number(g.attrs.numDigits) } : {}) } } : {}),
    });
  }

  private remember(t: Turn): Turn {
    this.current = t;
    return t;
  }
}
