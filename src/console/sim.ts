import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { BootlineError } from '../errors.js';
import type { FlowAdmin } from './flows/service.js';
import { validateFlowText } from './flows/text.js';
import { bootstrapView } from '../deliveries/view.js';
import { bootstrapIdForCall } from '../deliveries/ids.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { openTextSms } from '../deliveries/text-sms.js';
import type { TextSmsJobData } from '../queues/catalogue.js';
import { CallSimulator, newCallSid, type Transport, type Turn } from './simulator/call.js';
import { type HandsetChoice, type HandsetControl, pinHeard } from './simulator/handset.js';
import { OTP_POLICY, otpSmsId } from '../voice/otp.js';
import type { FlowRegistry } from '../voice/registry.js';
import type { SimCallStore, SimRecord } from './sim-store.js';
import { isE164 } from '../platform/e164.js';

const MAX_CALLS = 20;
/** What the transcript says the caller's phone does. */
const HANDSET_LINE: Record<HandsetChoice, string> = {
  enrolled: '(types the PIN into the phone)',
  'auth-failed': '(types the PIN into a phone whose stored credentials are wrong)',
  'not-enrolled': '(leaves the phone alone: it never connects)',
};
const DIGITS = /^[0-9*#]{0,32}$/;

export interface SimDeps {
  readonly admin: FlowAdmin;
  readonly registry: FlowRegistry;
  /**
   * Where this web process listens (e.g. http://127.0.0.1:3000): simulated webhooks go over
   * loopback HTTP through the real /voice routes, signature check included.
   */
  readonly selfUrl: () => string;
  readonly publicBaseUrl: string;
  readonly authToken: string;
  readonly store?: BootstrapStore;
  readonly smsQueue?: Queue<TextSmsJobData>;
  readonly sealKey?: Buffer;
  /** Where calls are kept between requests (any web process may get the next one). */
  readonly calls: SimCallStore;
  /** Simulated handsets (HANDSET_CONTROL_URL, the dev stack): the caller types the PIN heard into one. */
  readonly handsets?: HandsetControl;
}

/** A call's record and its simulator, for one request. */
interface SimCall {
  readonly rec: SimRecord;
  readonly sim: CallSimulator;
}

/**
 * Calls placed from the console: the browser picks a flow version and presses keys; this
 * plays Twilio's part (signed webhooks into this process's own /voice routes over loopback)
 * and reports what the caller hears, the SMS the SMSC accepted for the call and the bootstrap
 * it queued. Calls are kept in Redis (sim-store.ts), so any web process carries a call on;
 * idle ones end after 15 minutes.
 */
export class SimCalls {
  constructor(private readonly deps: SimDeps) {}

  /** `handset`: what the caller's simulated handset does with the settings (default: connects). */
  async start(flowId: string, versionRef: string, from?: string, handset: HandsetChoice = 'enrolled') {
    await this.expire();
    if ((await this.deps.calls.active()) >= MAX_CALLS)
      throw new BootlineError('FLOW_CONFLICT', `at most ${MAX_CALLS} simulated calls at once; hang one up`);
    const { text, label } = this.deps.admin.textOf(flowId, versionRef);
    const v = validateFlowText(flowId, text);
    if (!v.valid)
      throw new BootlineError(
        'FLOW_DRAFT_INVALID',
        `the ${label} of "${flowId}" is invalid; fix it before calling it`,
        { public: { problems: v.problems } },
      );
    const live = this.deps.registry.has(flowId) && this.deps.registry.get(flowId).revision === v.flow.revision;
    // A draft or old revision is a preview in this process's registry; its first webhook comes
    // back here (selfUrl), and later ones find the revision in the archive from any process.
    const routeId = live ? flowId : this.deps.registry.preview(v.flow);
    const rec: SimRecord = {
      id: randomBytes(9).toString('base64url'),
      callSid: newCallSid(),
      ...(isE164(from) ? { from } : {}),
      flow: flowId,
      version: label,
      revision: v.flow.revision,
      handset,
      lines: [],
      last: null,
      touched: Date.now(),
    };
    const call = { rec, sim: this.simulator(rec) };
    await this.turn(call, () => call.sim.dial(`/voice/incoming?flow=${encodeURIComponent(routeId)}`));
    return this.render(rec);
  }

  /** Keys typed at the current prompt ("" = silence until the timeout); at a redirect, goes on. */
  async keys(id: string, raw: unknown) {
    const call = await this.get(id);
    const { rec, sim } = call;
    if (typeof raw !== 'string' || !DIGITS.test(raw))
      throw new BootlineError('BAD_REQUEST', '"digits" is up to 32 of 0-9, * and #');
    let digits = raw;
    if (rec.last?.redirect) await this.turn(call, () => sim.resume());
    else if (rec.last?.gather) {
      // "07400123456#" typed on the keypad: the finish key ends the entry, as on a phone.
      const g = rec.last.gather;
      if (!g.numDigits && g.finishOnKey && digits.endsWith(g.finishOnKey))
        digits = digits.slice(0, -g.finishOnKey.length);
      rec.lines.push({ who: 'caller', text: digits === '' ? '(silence)' : `pressed ${digits}` });
      await this.turn(call, () => sim.press(digits));
    } else if (rec.last?.transfer?.action) {
      rec.lines.push({ who: 'caller', text: '(no agent answered)' });
      await this.turn(call, () => sim.endTransfer('no-answer'));
    } else throw new BootlineError('BAD_REQUEST', 'the call is not waiting for keys');
    return this.render(rec);
  }

  async hangup(id: string) {
    const { sim } = await this.get(id);
    await sim.hangup().catch(() => 0);
    await this.deps.calls.remove(id);
    return { id, ended: true };
  }

  async view(id: string) {
    return this.render((await this.get(id)).rec);
  }

  private async render(rec: SimRecord) {
    const t = rec.last;
    const state = !t ? 'starting' : t.gather ? 'keys' : t.redirect ? 'holding' : t.transfer ? 'agent' : 'ended';
    const bootstrap = await this.deps.store?.get(bootstrapIdForCall(rec.callSid)).catch(() => null);
    return {
      id: rec.id,
      callSid: rec.callSid,
      flow: rec.flow,
      version: rec.version,
      revision: rec.revision,
      state,
      ...(t?.gather ? { finishOnKey: t.gather.numDigits ? null : t.gather.finishOnKey } : {}),
      ...(t?.transfer ? { transfer: { verb: t.transfer.verb, target: t.transfer.target } } : {}),
      handset: this.deps.handsets ? (rec.handset ?? 'enrolled') : null,
      lines: rec.lines,
      texts: await this.texts(rec.callSid),
      bootstrap: bootstrap ? bootstrapView(bootstrap) : null,
    };
  }

  /** Runs one turn of the call and keeps the record (what was heard, where the call is). */
  private async turn(call: SimCall, step: () => Promise<Turn>): Promise<void> {
    const t = await step();
    const { rec } = call;
    rec.last = t;
    rec.touched = Date.now();
    for (const s of t.says) rec.lines.push({ who: 'bootline', text: s });
    if (t.status !== 200) rec.lines.push({ who: 'bootline', text: `(webhook answered HTTP ${t.status})` });
    await this.typePin(rec, t.says);
    await this.deps.calls.save(rec);
  }

  /**
   * The caller's phone: once the PIN has been said and the push queued (the same webhook), the
   * PIN goes into the simulated handset the push goes to, which opens its DM session while the
   * caller holds in wait-for-enrolment — or, by choice, presents wrong credentials or stays off.
   */
  private async typePin(rec: SimRecord, says: readonly string[]): Promise<void> {
    const { handsets, store } = this.deps;
    const pin = handsets && store && !rec.pinTyped ? pinHeard(says) : undefined;
    if (!pin) return;
    const brief = await store!.brief(bootstrapIdForCall(rec.callSid)).catch(() => null);
    if (!brief) return;
    const choice = rec.handset ?? 'enrolled';
    rec.pinTyped = true;
    rec.lines.push({ who: 'caller', text: HANDSET_LINE[choice] });
    handsets!.use(brief.msisdn, pin, choice);
  }

  /** Twilio's side of the call, at the turn the record is at. */
  private simulator(rec: SimRecord): CallSimulator {
    return new CallSimulator({
      transport: this.transport(),
      baseUrl: this.deps.publicBaseUrl,
      authToken: this.deps.authToken,
      callSid: rec.callSid,
      ...(rec.from ? { from: rec.from } : {}),
      maxRedirects: 0,
      extra: { BootlineSource: 'simulator' },
      pauseMs: (s) => Math.min(s, 2) * 1000,
      ...(rec.last ? { at: rec.last } : {}),
    });
  }

  /** Text SMS of this call the SMSC accepted (completed text-SMS jobs), opened with the data key. */
  private async texts(callSid: string): Promise<Array<{ to: string; text: string }>> {
    const { smsQueue, sealKey } = this.deps;
    if (!smsQueue || !sealKey) return [];
    const out: Array<{ to: string; text: string }> = [];
    for (let n = 1; n <= OTP_POLICY.maxSends; n++) {
      const job = await smsQueue.getJob(otpSmsId(callSid, n)).catch(() => undefined);
      if (!job || !(await job.isCompleted())) continue;
      const sms = openTextSms(sealKey, job.id!, job.data);
      if (sms) out.push(sms);
    }
    return out;
  }

  private transport(): Transport {
    const base = this.deps.publicBaseUrl;
    return async (url, params, headers) => {
      const path = url.startsWith(base) ? url.slice(base.length) : new URL(url).pathname + new URL(url).search;
      const res = await fetch(this.deps.selfUrl() + path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, body: await res.text() };
    };
  }

  private async get(id: string): Promise<SimCall> {
    const rec = await this.deps.calls.get(id);
    if (!rec) throw new BootlineError('SIM_CALL_UNKNOWN', 'no simulated call with that id (ended or expired)');
    return { rec, sim: this.simulator(rec) };
  }

  /** Idle calls end: Twilio would report them completed. */
  private async expire(): Promise<void> {
    for (const rec of await this.deps.calls.reap())
      await this.simulator(rec)
        .hangup()
        .catch(() => 0);
  }
}
