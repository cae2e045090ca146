import twilio from 'twilio';
import { BootlineError } from '../errors.js';
import { maskPhone } from '../lib/mask.js';
import type { CallState, CallStateStore } from './call-state.js';
import type { InputStepFields, Outcome, SayParent, StepContext, VoiceResponse, VoiceServices } from './context.js';
import type { Flow, StepBase } from './flow.js';
import type { FlowRegistry } from './registry.js';
import { STEP_MODULES } from './steps/registry.js';

/** Steps one request may pass through before we assume a loop (a flow with no input step). */
const MAX_HOPS = 25;

/** One webhook's worth of work: the call, the flow revision it runs on, the TwiML being built. */
interface Turn {
  readonly call: CallState;
  readonly flow: Flow;
  readonly twiml: VoiceResponse;
  ctx(stepId: string): StepContext;
}

export interface CallParams {
  readonly callSid: string;
  readonly from?: string;
  readonly digits?: string;
}

/**
 * Runs voice flows: turns a Twilio webhook into the next TwiML document, keeping per-call
 * state in Redis. Pure of HTTP; the http layer validates signatures and parses bodies.
 */
export class VoiceEngine {
  constructor(private readonly deps: { flows: FlowRegistry; calls: CallStateStore; services: VoiceServices }) {}

  /** A new call (or a repeated first webhook of a call we already know). */
  async incoming(params: CallParams, flowId: string): Promise<string> {
    const existing = await this.deps.calls.load(params.callSid);
    if (existing) return this.respond(existing, (turn) => this.run(turn));
    const flow = this.deps.flows.get(flowId);
    const call: CallState = {
      callSid: params.callSid, flowId: flow.id, revision: flow.revision, step: flow.start,
      lang: flow.defaultLanguage, attempts: {}, startedAt: new Date().toISOString(),
    };
    this.deps.services.logger.info({ callSid: call.callSid, flow: flow.id, from: maskPhone(params.from) }, 'call started');
    return this.respond(call, (turn) => this.run(turn));
  }

  /** Keys the caller pressed at `stepId`. A stale or replayed step re-prompts the current one. */
  async input(params: CallParams, stepId: string): Promise<string> {
    const call = await this.deps.calls.load(params.callSid);
    if (!call) return this.incoming(params, this.deps.flows.ids().includes('bootstrap') ? 'bootstrap' : this.deps.flows.ids()[0]!);
    if (call.step !== stepId) return this.respond(call, (turn) => this.run(turn));
    return this.respond(call, async (turn) => {
      const step = turn.flow.steps[call.step]!;
      const mod = STEP_MODULES.get(step.type)!;
      if (!mod.input) return this.run(turn); // not an input step: say where the call is
      const out = await mod.input(step, turn.ctx(call.step), params.digits ?? '');
      await this.follow(out, turn, step as StepBase & InputStepFields);
    });
  }

  async ended(callSid: string): Promise<void> {
    // Deleting state cancels nothing: a bootstrap already queued for a verified number goes out.
    await this.deps.calls.remove(callSid);
  }

  private async respond(call: CallState, body: (turn: Turn) => Promise<void>): Promise<string> {
    const flow = this.deps.flows.revision(call.flowId, call.revision);
    const twiml = new twilio.twiml.VoiceResponse();
    await body({ call, flow, twiml, ctx: (stepId) => this.context(stepId, flow, call, twiml) });
    await this.deps.calls.save(call);
    return twiml.toString();
  }

  private async follow(out: Outcome, turn: Turn, step: StepBase & InputStepFields): Promise<void> {
    const { call, ctx } = turn;
    if ('retry' in out) {
      const tries = (call.attempts[call.step] ?? 0) + 1;
      call.attempts[call.step] = tries;
      if (tries >= step.maxAttempts) {
        call.step = step.onMaxAttempts;
      } else {
        const branch = out.retry === 'noInput' ? step.onNoInput : step.onInvalid;
        ctx(call.step).say(ctx(call.step).twiml, branch.prompt);
      }
      return this.run(turn);
    }
    if ('goto' in out) {
      delete call.attempts[call.step];
      call.step = out.goto;
      return this.run(turn);
    }
  }

  /** Enters steps until one waits for input or ends the call. */
  private async run(turn: Turn): Promise<void> {
    const { call, twiml, flow, ctx } = turn;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const step = flow.steps[call.step];
      if (!step) throw new BootlineError('FLOW_UNKNOWN_STEP', `flow ${flow.id} has no step "${call.step}"`);
      const out = await STEP_MODULES.get(step.type)!.enter(step, ctx(call.step));
      if (!('goto' in out)) return;
      call.step = out.goto;
    }
    this.deps.services.logger.error({ callSid: call.callSid, flow: flow.id }, 'flow loop guard tripped');
    twiml.hangup();
  }

  private context(stepId: string, flow: Flow, call: CallState, twiml: VoiceResponse): StepContext {
    const { services } = this.deps;
    const lang = flow.languages[call.lang] ?? flow.languages[flow.defaultLanguage]!;
    return {
      stepId, flow, call, twiml, services,
      say: (parent: SayParent, key: string, vars: Readonly<Record<string, string>> = {}) => {
        const text = flow.prompts[call.lang]?.[key] ?? flow.prompts[flow.defaultLanguage]?.[key] ?? key;
        parent.say({ voice: lang.voice as never, language: lang.language as never }, fill(text, vars));
      },
      actionUrl: () => `${services.publicBaseUrl}/voice/input?step=${encodeURIComponent(stepId)}`,
    };
  }
}

function fill(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}
