import { BootlineError } from '../errors.js';
import { unseal } from '../platform/seal.js';
import type { CallState } from './call-state.js';
import { maskKeys, type TraceEvent, type TraceNote } from './trace/events.js';
import type { CallParams, InputStepFields, Outcome, StepContext, VoiceResponse, VoiceServices } from './context.js';
import type { Flow, StepBase } from './flow.js';
import type { OtpStore } from './otp.js';
import type { AbuseGuard } from '../policy/limits.js';
import { nationalGroups } from './phone.js';
import { fillPrompt, pinGroups, sayPrompt, type Spoken } from './speech.js';
import { STEP_MODULES } from './steps/registry.js';

/** Steps one request may pass through before we assume a loop the load checks missed. */
const MAX_HOPS = 25;

export interface TurnDeps {
  readonly services: VoiceServices;
  readonly otp: OtpStore;
  readonly guard: AbuseGuard;
  readonly params: CallParams;
}

/**
 * One webhook's worth of work: the call, the flow revision it runs on, and the TwiML being
 * built. Steps decide; the turn counts tries, follows branches and moves the call along.
 */
export class Turn {
  /** True while every step entered is `pure` (its TwiML depends on the flow and language only). */
  pure = true;
  /** What happened in this webhook, for the call's execution trace (trace/store.ts). */
  readonly events: TraceEvent[] = [];

  constructor(
    readonly call: CallState,
    readonly flow: Flow,
    readonly twiml: VoiceResponse,
    private readonly deps: TurnDeps,
  ) {}

  /** Enters steps until one waits for Twilio or ends the call. */
  async run(): Promise<void> {
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const step = this.step();
      const mod = STEP_MODULES.get(step.type)!;
      if (!mod.pure) this.pure = false;
      this.note({ kind: 'step', step: this.call.step, type: step.type });
      const out = await mod.enter(step, this.ctx(this.call.step));
      if (!('goto' in out)) return;
      this.leave(out.goto, out.reason);
    }
    this.pure = false;
    this.deps.services.logger.error({ callSid: this.call.callSid, flow: this.flow.id }, 'flow loop guard tripped');
    this.twiml.hangup();
  }

  /** Twilio came back to the current step: keys from a Gather, or a Redirect/Dial returning. */
  async input(digits: string): Promise<void> {
    this.pure = false;
    const step = this.step();
    const mod = STEP_MODULES.get(step.type)!;
    if (!mod.input) return this.run();
    const escapeTo = mod.kind === 'input' ? this.flow.escapes[digits] : undefined;
    // An escape key is the flow's own (e.g. 0 for an agent), never part of a number or code.
    if (mod.kind === 'input')
      this.note({ kind: 'keys', step: this.call.step, keys: escapeTo ? digits : maskKeys(digits, mod.maskKeys) });
    const out = escapeTo
      ? { goto: escapeTo, reason: 'caller-request' }
      : await mod.input(step, this.ctx(this.call.step), digits);
    return this.follow(out, step as StepBase & Partial<InputStepFields>);
  }

  /** Moves the call to `to`, forgetting the per-step counters of the step it leaves. */
  leave(to: string, reason?: string): void {
    const { call } = this;
    this.note({ kind: 'branch', step: call.step, to, ...(reason ? { reason } : {}) });
    delete call.attempts[call.step];
    if (call.since) delete call.since[call.step];
    call.prevStep = call.step;
    call.step = to;
    if (reason) call.reason = reason;
  }

  ctx(stepId: string): StepContext {
    const { call, flow, twiml } = this;
    const { services, otp, guard, params } = this.deps;
    const settings = (l: string) => flow.languages[l] ?? flow.languages[flow.defaultLanguage]!;
    const textOf = (key: string, l = call.lang) =>
      flow.prompts[l]?.[key] ?? flow.prompts[flow.defaultLanguage]?.[key] ?? key;
    return {
      stepId,
      flow,
      call,
      twiml,
      services,
      otp,
      guard,
      params,
      say: (parent, key, vars = {}, l = call.lang) => {
        this.note({ kind: 'prompt', step: stepId, key, lang: l });
        const t = textOf(key, l);
        sayPrompt(parent, settings(l), t, { ...this.callVars(t), ...vars });
      },
      text: (key, vars = {}) => {
        const t = textOf(key);
        return fillPrompt(t, { ...this.callVars(t), ...vars });
      },
      actionUrl: (id = stepId) =>
        `${services.publicBaseUrl}/voice/input?step=${encodeURIComponent(id)}&t=${call.seq ?? 0}`,
      note: (e) => this.note(e),
    };
  }

  note(e: TraceNote): void {
    this.events.push({ t: Date.now(), ...e } as TraceEvent);
  }

  private async follow(out: Outcome, step: StepBase & Partial<InputStepFields>): Promise<void> {
    if ('goto' in out) {
      this.leave(out.goto, out.reason);
      return this.run();
    }
    if (!('retry' in out) && !('exhausted' in out)) return;
    if (!step.onMaxAttempts || !step.maxAttempts || !step.onNoInput || !step.onInvalid) {
      throw new BootlineError('FLOW_INVALID', `step type ${step.type} asked for a retry but is not an input step`);
    }
    const { call } = this;
    const tries = (call.attempts[call.step] ?? 0) + 1;
    call.attempts[call.step] = tries;
    if ('exhausted' in out || tries >= step.maxAttempts) {
      this.leave(step.onMaxAttempts, 'max-attempts');
      return this.run();
    }
    this.note({ kind: 'retry', step: call.step, why: out.retry, attempt: tries });
    const branch = out.retry === 'noInput' ? step.onNoInput : step.onInvalid;
    this.ctx(call.step).say(this.twiml, out.prompt ?? branch.prompt);
    if (branch.next) this.leave(branch.next, out.retry === 'noInput' ? 'no-input' : 'invalid');
    return this.run();
  }

  private step(): StepBase {
    const step = this.flow.steps[this.call.step];
    if (!step) throw new BootlineError('FLOW_UNKNOWN_STEP', `flow ${this.flow.id} has no step "${this.call.step}"`);
    return step;
  }

  /** {number} and {pin} as digit groups; the PIN is unsealed only for prompts that say it. */
  private callVars(text: string): Record<string, Spoken> {
    const { call } = this;
    const vars: Record<string, Spoken> = {};
    if (call.national) vars.number = { digits: nationalGroups(call.national) };
    if (text.includes('{pin}') && call.pinSealed) {
      const pin = unseal(this.deps.services.sealKey, call.pinSealed, call.callSid);
      if (pin !== null) vars.pin = { digits: pinGroups(pin) };
    }
    return vars;
  }
}
