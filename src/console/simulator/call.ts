import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import type { Sms, SmsInbox } from './inbox.js';
import { testCallerId } from './caller-id.js';
import { parseTwiml, spokenText, type Verb } from './twiml.js';
import { transferOf, type Transport, type Turn } from './turn.js';

export type { Transfer, Transport, Turn } from './turn.js';
export { fetchTransport } from './turn.js';

export interface SimulatorOptions {
  readonly transport: Transport;
  readonly baseUrl: string;
  readonly authToken: string;
  readonly from?: string;
  readonly to?: string;
  readonly callSid?: string;
  /** Extra webhook parameters on every request (e.g. StirVerstat, BootlineSource). */
  readonly extra?: Readonly<Record<string, string>>;
  /** Real time a <Pause length=s> takes; tests shrink it. Default: s seconds. */
  readonly pauseMs?: (seconds: number) => number;
  /** Redirects followed without caller input before giving up (a wait-for-delivery polls). */
  readonly maxRedirects?: number;
  readonly inbox?: SmsInbox;
  /** The turn a call carried on from elsewhere is at (another process placed it). */
  readonly at?: Turn;
  /**
   * What each webhook said, as soon as it is heard: a turn that holds the caller (redirects)
   * returns only when the hold ends, but a caller acts on a PIN while still holding.
   */
  readonly onHeard?: (says: readonly string[]) => void;
}

export function newCallSid(): string {
  return 'CA' + randomBytes(16).toString('hex');
}

/**
 * Plays Twilio's part of a call: signs each webhook exactly as Twilio does, sleeps through
 * <Pause>, follows <Redirect>, remembers the current <Gather> so `press()` posts the keys to
 * its action, and reads the SMS the call caused from an inbox.
 */
export class CallSimulator {
  readonly callSid: string;
  /** The caller ID every webhook carries: the one given, else a fresh test number for this call. */
  readonly from: string;
  readonly transcript: string[] = [];
  private current: Turn | null = null;

  constructor(private readonly o: SimulatorOptions) {
    this.callSid = o.callSid ?? newCallSid();
    this.from = o.from ?? testCallerId(this.callSid);
    this.current = o.at ?? null;
  }

  get turn(): Turn | null {
    return this.current;
  }

  dial(path = '/voice/incoming'): Promise<Turn> {
    return this.post(this.o.baseUrl + path, {});
  }

  /** Keys typed into the current Gather (the finish key is not part of Digits, as with Twilio). */
  press(digits: string): Promise<Turn> {
    const g = this.current?.gather;
    if (!g) throw new Error('the call is not waiting for keys');
    return this.post(g.action, { Digits: digits, FinishedOnKey: g.finishOnKey && !g.numDigits ? g.finishOnKey : '' });
  }

  /** Follows the <Redirect> the simulator stopped at (after its <Pause>). */
  async resume(): Promise<Turn> {
    const r = this.current?.redirect;
    if (!r) throw new Error('the call is not stopped at a redirect');
    await this.pause(this.current!.verbs);
    return this.post(r, {});
  }

  /**
   * Twilio moved the call to `url` (a REST calls(sid).update, e.g. an agent's hand-in):
   * fetch the new TwiML there, as Twilio does, and carry on from it. When `url` answers an
   * error and the update named a fallback URL, Twilio requests that instead, with the error.
   */
  async redirectTo(url: string, fallbackUrl?: string): Promise<Turn> {
    const turn = await this.post(url, {});
    if (turn.status < 400 || !fallbackUrl) return turn;
    return this.post(fallbackUrl, { ErrorCode: '11200', ErrorUrl: url });
  }

  /** The caller says nothing until the Gather times out (actionOnEmptyResult posts empty Digits). */
  silence(): Promise<Turn> {
    return this.press('');
  }

  /** The <Dial>/<Enqueue> ended: "completed"/"bridged" = an agent took the call; else no agent. */
  endTransfer(result: string): Promise<Turn> {
    const t = this.current?.transfer;
    if (!t?.action) throw new Error('the call is not in a transfer with an action URL');
    return this.post(t.action, t.verb === 'Dial' ? { DialCallStatus: result } : { QueueResult: result });
  }

  async hangup(): Promise<number> {
    const r = await this.send(this.o.baseUrl + '/voice/status', { CallStatus: 'completed', CallDuration: '42' });
    return r.status;
  }

  /** Text SMS this call caused, from the inbox (empty without one). */
  async texts(): Promise<Sms[]> {
    return this.o.inbox ? this.o.inbox.texts(this.callSid) : [];
  }

  /**
   * Waits for an SMS carrying a 6-digit code and returns the newest code: one sent to `to`
   * when given (other calls may be texting other numbers), after the first `after` codes.
   */
  async waitForCode(opts: { to?: string; after?: number; timeoutMs?: number } = {}): Promise<string> {
    const end = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const codes = (await this.texts())
        .filter((s) => !opts.to || s.to === opts.to)
        .map((s) => /\b(\d{6})\b/.exec(s.text)?.[1])
        .filter((c): c is string => !!c);
      if (codes.length > (opts.after ?? 0)) return codes.at(-1)!;
      if (Date.now() > end)
        throw new Error(`no code SMS${opts.to ? ` to ${opts.to}` : ''} within ${opts.timeoutMs ?? 10_000} ms`);
      await sleep(25);
    }
  }

  /** Sends a signed webhook with the standard call parameters plus `params`. */
  send(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const all: Record<string, string> = {
      AccountSid: 'AC' + '0'.repeat(32),
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      From: this.from,
      To: this.o.to ?? '+448000000000',
      ...this.o.extra,
      ...params,
    };
    const signature = twilio.getExpectedTwilioSignature(this.o.authToken, url, all);
    return this.o.transport(url, all, { 'X-Twilio-Signature': signature });
  }

  private async post(url: string, params: Record<string, string>): Promise<Turn> {
    const heard: string[] = [];
    for (let hop = 0; ; hop++) {
      const res = await this.send(url, hop === 0 ? params : {});
      if (res.status !== 200) return this.remember({ status: res.status, verbs: [], says: heard, hungUp: true });
      const verbs = parseTwiml(res.body);
      const says = spokenText(verbs);
      heard.push(...says);
      this.transcript.push(...says);
      if (says.length) this.o.onHeard?.(says);
      const redirect = verbs.find((v) => v.verb === 'Redirect');
      const g = verbs.find((v) => v.verb === 'Gather');
      if (redirect && !g && hop < (this.o.maxRedirects ?? 200)) {
        await this.pause(verbs);
        url = redirect.text;
        continue;
      }
      const transfer = transferOf(verbs);
      const stopped = redirect && !g ? { redirect: redirect.text } : {};
      return this.remember({
        status: res.status,
        verbs,
        says: heard,
        hungUp: !g && !transfer && !redirect,
        ...(transfer ? { transfer } : {}),
        ...stopped,
        ...(g
          ? {
              gather: {
                action: g.attrs.action ?? url,
                finishOnKey: g.attrs.finishOnKey ?? '#',
                ...(g.attrs.numDigits ? { numDigits: Number(g.attrs.numDigits) } : {}),
              },
            }
          : {}),
      });
    }
  }

  private async pause(verbs: readonly Verb[]): Promise<void> {
    const seconds = verbs.filter((v) => v.verb === 'Pause').reduce((sum, v) => sum + Number(v.attrs.length ?? 1), 0);
    if (seconds > 0) await sleep(this.o.pauseMs ? this.o.pauseMs(seconds) : seconds * 1000);
  }

  private remember(t: Turn): Turn {
    this.current = t;
    return t;
  }
}
