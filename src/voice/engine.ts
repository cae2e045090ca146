import twilio from 'twilio';
import { maskPhone } from '../platform/mask.js';
import type { Refused, CallLedger } from './call-ledger.js';
import type { AgentLink, CallState, CallStateStore } from './call-state.js';
import type { CallParams, VoiceServices } from './context.js';
import type { Flow } from './flow.js';
import type { OtpStore } from './otp.js';
import type { AbuseGuard } from '../policy/limits.js';
import type { ReplayGuard } from './replay.js';
import type { FlowRegistry } from './registry.js';
import { FirstTurns } from './first-turns.js';
import { Turn } from './turn.js';
import { isE164 } from '../platform/e164.js';
import type { TraceEvent } from './trace/events.js';
import { CallTracer } from './trace/tracer.js';
import type { TraceStore } from './trace/store.js';

export type { CallParams };

/** What a webhook gets: TwiML, or a refusal (the call is over; a duplicate, with the first answer). */
export type Reply = { readonly kind: 'twiml'; readonly body: string } | Refused;
type Answered = { readonly call: CallState; readonly body: string; readonly events: readonly TraceEvent[] };

/** Twilio's StirVerstat for SHAKEN/STIR full (A-level) attestation of the caller ID. */
const A_ATTESTED = 'TN-Validation-Passed-A';

export interface EngineDeps {
  readonly flows: FlowRegistry;
  readonly calls: CallStateStore;
  readonly otp: OtpStore;
  readonly services: VoiceServices;
  readonly guard: AbuseGuard;
  readonly replay: ReplayGuard;
  readonly ledger: CallLedger;
  /** The flow a call restarts on when its state is gone. Defaults to "bootstrap". */
  readonly defaultFlowId?: string;
  /** Execution traces (absent: calls are not traced). */
  readonly traces?: TraceStore;
  /** Caller IDs (E.164) that reach a flow's valid draft instead of its published version (FLOW_TEST_CALLERS). */
  readonly testCallers?: ReadonlySet<string>;
}

/**
 * Runs voice flows: turns a Twilio webhook into the next TwiML document, keeping per-call
 * state in Redis. Pure of HTTP; the http layer validates signatures and parses bodies.
 */
export class VoiceEngine {
  private readonly firstTurns = new FirstTurns();
  private readonly tracer: CallTracer;

  constructor(private readonly deps: EngineDeps) {
    this.tracer = new CallTracer(deps.traces ?? null, deps.services.logger);
  }

  /**
   * A new call, or a repeated first webhook of a call we already know. The common case costs
   * one Redis round trip (see call-ledger.ts): the answer is made first, then the state is
   * created only if absent; only when it exists already is the call answered from where it is.
   */
  async incoming(params: CallParams, flowId: string, id: string | null = null): Promise<Reply> {
    // A test caller reaches the flow's draft (when it has a valid one), like Studio's test users.
    const draft = params.from && this.deps.testCallers?.has(params.from) ? this.deps.flows.draft(flowId) : null;
    const flow = draft ?? this.deps.flows.get(flowId);
    await this.deps.flows.remember(flow);
    const call = this.newCall(params, flow);
    const { body, events } = await this.firstTurns.answer(call, flow, async () => {
      const turn = this.turn(call, flow, params);
      await turn.run();
      return turn;
    });
    const opened = await this.deps.ledger.open(call, id, body);
    if (opened.kind === 'exists') return this.resume(params, id, () => (t) => t.run());
    if (opened.kind !== 'created') return opened;
    this.deps.services.logger.info(
      { callSid: call.callSid, flow: flow.id, revision: flow.revision, from: maskPhone(params.from), draft: !!draft },
      'call started',
    );
    void this.tracer.started(call, flow, params, events, !!draft);
    return { kind: 'twiml', body };
  }

  /**
   * A support agent sent this call into `flowId` (the context token was already checked):
   * the call starts over on the flow, whatever state it had, with the agent's context.
   */
  async handIn(
    params: CallParams,
    flowId: string,
    seed: { agent: AgentLink; lang?: string; start?: string; prefill?: string },
  ): Promise<string> {
    const flow = this.deps.flows.get(flowId);
    await this.deps.flows.remember(flow);
    const call: CallState = { ...this.newCall(params, flow), agent: seed.agent };
    if (seed.lang) call.lang = seed.lang;
    if (seed.start) call.step = seed.start;
    if (seed.prefill) call.prefill = seed.prefill;
    const turn = this.turn(call, flow, params);
    turn.note({ kind: 'hand-in', step: call.step, detail: seed.agent.transferId });
    await turn.run();
    await Promise.all([this.deps.calls.save(call), this.tracer.started(call, flow, params, turn.events, false)]);
    this.deps.services.logger.info(
      { callSid: call.callSid, flow: flow.id, transferId: seed.agent.transferId, prefilled: Boolean(seed.prefill) },
      'call handed in by an agent',
    );
    return turn.twiml.toString();
  }

  /**
   * Twilio returning to `stepId` at turn `turn` (the `t` of the action URL). A request for
   * another step or an older turn — a replay, or a retry that lost the race — processes
   * no keys: it hears the prompt of the step the call is at (a waiting step may move on).
   */
  async input(params: CallParams, stepId: string, turn: number, id: string | null = null): Promise<Reply> {
    return this.resume(params, id, (call) => {
      if (call.step !== stepId || turn !== (call.seq ?? 0)) return (t) => t.run();
      call.seq = (call.seq ?? 0) + 1;
      return (t) => t.input(params.digits ?? '');
    });
  }

  /** A request that failed before answering: a retry of it may be processed. */
  async release(callSid: string, id: string | null): Promise<void> {
    await this.deps.ledger.release(callSid, id);
  }

  /**
   * The call is over. Deleting its state and any unused code cancels nothing else: a push
   * already queued for a verified number still goes out.
   */
  async ended(callSid: string): Promise<void> {
    await this.tracer.ended(callSid);
    await this.deps.replay.ended(callSid);
    await this.deps.calls.remove(callSid);
    await this.deps.otp.clear(callSid);
  }

  /**
   * What the caller hears when bootline fails (and on Twilio's fallback URL): the flow's
   * apology, then its error route (an agent or goodbye). Works without Redis: state is
   * used when it can be read and saved when it can be written.
   */
  async fallback(params: CallParams): Promise<string | null> {
    const saved = await this.deps.calls.load(params.callSid).catch(() => null);
    const flow = (saved && (await this.flowFor(saved).catch(() => null))) ?? this.defaultFlow();
    if (!flow?.onError) return null;
    const call = saved ?? this.newCall(params, flow);
    const turn = this.turn(call, flow, params);
    turn.note({ kind: 'error', step: call.step });
    turn.ctx(call.step).say(turn.twiml, flow.onError.prompt);
    turn.leave(flow.onError.next, 'error');
    await turn.run();
    if (saved)
      await Promise.all([this.deps.calls.save(call).catch(() => undefined), this.tracer.turn(call, turn.events)]);
    return turn.twiml.toString();
  }

  /** Claims the request, then runs what `next` picks on the call (a call with no state starts over). */
  private async resume(
    params: CallParams,
    id: string | null,
    next: (call: CallState) => (t: Turn) => Promise<void>,
  ): Promise<Reply> {
    const begun = await this.deps.ledger.begin(params.callSid, id);
    if (begun.kind !== 'fresh') return begun;
    const { state } = begun;
    const { call, body, events } = state
      ? await this.respond(state, params, next(state))
      : await this.restart(params, 'no state for this call');
    // The trace's write goes out in the same tick as the state's: one round trip on the web's connection.
    await Promise.all([this.deps.ledger.commit(call, id, body), state ? this.tracer.turn(call, events) : null]);
    return { kind: 'twiml', body };
  }

  private async respond(call: CallState, params: CallParams, body: (turn: Turn) => Promise<void>): Promise<Answered> {
    const flow = await this.flowFor(call);
    if (!flow) return this.restart(params, 'flow revision gone and the current version has no such step');
    const turn = this.turn(call, flow, params);
    await body(turn);
    return { call, body: turn.twiml.toString(), events: turn.events };
  }

  /** A call we lost track of starts over (with the flow's "let's start again" prompt). */
  private async restart(params: CallParams, why: string): Promise<Answered> {
    const flow = this.defaultFlow();
    if (!flow) throw new Error('no flows loaded');
    this.deps.services.logger.warn({ callSid: params.callSid, flow: flow.id, why }, 'restarting call');
    await this.deps.flows.remember(flow);
    const call = this.newCall(params, flow);
    const turn = this.turn(call, flow, params);
    turn.note({ kind: 'restart', step: call.step, detail: why });
    if (flow.onRestart) turn.ctx(call.step).say(turn.twiml, flow.onRestart.prompt);
    await turn.run();
    await this.tracer.started(call, flow, params, turn.events, false);
    return { call, body: turn.twiml.toString(), events: turn.events };
  }

  /** The revision the call started on; the current version only if that one is gone everywhere. */
  private async flowFor(call: CallState): Promise<Flow | null> {
    const exact = await this.deps.flows.revision(call.flowId, call.revision);
    if (exact) return exact;
    const current = this.deps.flows.has(call.flowId) ? this.deps.flows.get(call.flowId) : null;
    this.deps.services.logger.warn(
      { callSid: call.callSid, flow: call.flowId, revision: call.revision },
      'flow revision not found; using the current version',
    );
    return current?.steps[call.step] ? current : null;
  }

  private defaultFlow(): Flow | null {
    const { flows } = this.deps;
    const id = this.deps.defaultFlowId ?? 'bootstrap';
    return flows.has(id) ? flows.get(id) : flows.ids().length ? flows.get(flows.ids()[0]!) : null;
  }

  private newCall(params: CallParams, flow: Flow): CallState {
    const attested = params.stirVerstat === A_ATTESTED && isE164(params.from);
    return {
      callSid: params.callSid,
      flowId: flow.id,
      revision: flow.revision,
      step: flow.start,
      lang: flow.defaultLanguage,
      attempts: {},
      startedAt: new Date().toISOString(),
      ...(attested ? { attestedCaller: params.from! } : {}),
    };
  }

  private turn(call: CallState, flow: Flow, params: CallParams): Turn {
    return new Turn(call, flow, new twilio.twiml.VoiceResponse(), {
      services: this.deps.services,
      otp: this.deps.otp,
      guard: this.deps.guard,
      params,
    });
  }
}
