import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { BootlineError } from '../errors.js';
import type { FlowAdmin } from '../flows-admin/service.js';
import { validateFlowText } from '../flows-admin/text.js';
import { bootstrapView } from '../http/api/view.js';
import { bootstrapIdForCall } from '../queue/jobs.js';
import type { BootstrapStore } from '../queue/store.js';
import { openTextSms, type TextSmsJobData } from '../queue/text-sms.js';
import { CallSimulator, type Transport, type Turn } from '../sim/call.js';
import { OTP_POLICY, otpSmsId } from '../voice/otp.js';
import type { FlowRegistry } from '../voice/registry.js';

const MAX_CALLS = 20;
const IDLE_MS = 15 * 60_000;
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
}

interface SimCall {
  readonly id: string;
  readonly sim: CallSimulator;
  readonly flow: string;
  readonly version: string;
  readonly revision: string;
  readonly lines: Array<{ who: 'bootline' | 'caller'; text: string }>;
  last: Turn | null;
  touched: number;
}

/**
 * Calls placed from the console: the browser picks a flow version and presses keys; this
 * plays Twilio's part (signed webhooks into this process's own /voice routes over loopback) and reports what the caller hears, the SMS the SMSC accepted
 * for the call and the bootstrap it queued. Calls live in this process (the console talks
 * to one web process); idle ones end after 15 minutes.
 */
export class SimCalls {
  private readonly calls = new Map<string, SimCall>();

  constructor(private readonly deps: SimDeps) {}

  async start(flowId: string, versionRef: string, from?: string) {
    this.expire();
    if (this.calls.size >= MAX_CALLS) throw new BootlineError('FLOW_CONFLICT', `at most ${MAX_CALLS} simulated calls at once; hang one up`);
    const { text, label } = this.deps.admin.textOf(flowId, versionRef);
    const v = validateFlowText(flowId, text);
    if (!v.valid) throw new BootlineError('FLOW_DRAFT_INVALID', `the ${label} of "${flowId}" is invalid; fix it before calling it`, { public: { problems: v.problems } });
    const live = this.deps.registry.has(flowId) && this.deps.registry.get(flowId).revision === v.flow.revision;
    const routeId = live ? flowId : this.deps.registry.preview(v.flow);
    const sim = new CallSimulator({
      transport: this.transport(), baseUrl: this.deps.publicBaseUrl, authToken: this.deps.authToken,
      ...(from && /^\+[1-9]\d{6,14}$/.test(from) ? { from } : {}), maxRedirects: 0, pauseMs: (s) => Math.min(s, 2) * 1000,
    });
    const call: SimCall = { id: randomBytes(9).toString('base64url'), sim, flow: flowId, version: label, revision: v.flow.revision, lines: [], last: null, touched: Date.now() };
    this.calls.set(call.id, call);
    await this.turn(call, () => sim.dial(`/voice/incoming?flow=${encodeURIComponent(routeId)}`));
    return this.view(call.id);
  }

  /** Keys typed at the current prompt ("" = silence until the timeout); at a redirect, goes on. */
  async keys(id: string, raw: unknown) {
    const call = this.get(id);
    if (typeof raw !== 'string' || !DIGITS.test(raw)) throw new BootlineError('BAD_REQUEST', '"digits" is up to 32 of 0-9, * and #');
    let digits = raw;
    if (call.last?.redirect) await this.turn(call, () => call.sim.resume());
    else if (call.last?.gather) {
      // "07400123456#" typed on the keypad: the finish key ends the entry, as on a phone.
      const g = call.last.gather;
      if (!g.numDigits && g.finishOnKey && digits.endsWith(g.finishOnKey)) digits = digits.slice(0, -g.finishOnKey.length);
      call.lines.push({ who: 'caller', text: digits === '' ? '(silence)' : `pressed ${digits}` });
      await this.turn(call, () => call.sim.press(digits));
    } else if (call.last?.transfer?.action) {
      call.lines.push({ who: 'caller', text: '(no agent answered)' });
      await this.turn(call, () => call.sim.endTransfer('no-answer'));
    } else throw new BootlineError('BAD_REQUEST', 'the call is not waiting for keys');
    return this.view(id);
  }

  async hangup(id: string) {
    const call = this.get(id);
    await call.sim.hangup().catch(() => 0);
    this.calls.delete(id);
    return { id, ended: true };
  }

  async view(id: string) {
    const call = this.get(id);
    const t = call.last;
    const state = !t ? 'starting' : t.gather ? 'keys' : t.redirect ? 'holding' : t.transfer ? 'agent' : 'ended';
    const bootstrap = await this.deps.store?.get(bootstrapIdForCall(call.sim.callSid)).catch(() => null);
    return {
      id, flow: call.flow, version: call.version, revision: call.revision, state,
      ...(t?.gather ? { finishOnKey: t.gather.numDigits ? null : t.gather.finishOnKey } : {}),
      ...(t?.transfer ? { transfer: { verb: t.transfer.verb, target: t.transfer.target } } : {}),
      lines: call.lines, texts: await this.texts(call.sim.callSid), bootstrap: bootstrap ? bootstrapView(bootstrap) : null,
    };
  }

  private async turn(call: SimCall, step: () => Promise<Turn>): Promise<void> {
    const t = await step();
    call.last = t;
    call.touched = Date.now();
    for (const s of t.says) call.lines.push({ who: 'bootline', text: s });
    if (t.status !== 200) call.lines.push({ who: 'bootline', text: `(webhook answered HTTP ${t.status})` });
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
        method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, body: await res.text() };
    };
  }

  private get(id: string): SimCall {
    const call = this.calls.get(id);
    if (!call) throw new BootlineError('SIM_CALL_UNKNOWN', 'no simulated call with that id (ended or expired)');
    return call;
  }

  private expire(): void {
    for (const [id, c] of this.calls) if (Date.now() - c.touched > IDLE_MS) { void c.sim.hangup().catch(() => 0); this.calls.delete(id); }
  }
}
