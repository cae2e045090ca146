import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { CallState } from '../call-state.js';
import type { CallParams } from '../context.js';
import type { Flow } from '../flow.js';
import type { CallOutcome, TraceEvent } from './events.js';
import type { TraceStore } from './store.js';

/** Meta fields a webhook's events change: where the call is, its push, how it ended (so far). */
function changed(call: CallState, events: readonly TraceEvent[]): Record<string, unknown> {
  const end = events.findLast((e) => e.kind === 'end') as { outcome: CallOutcome } | undefined;
  return { lastStep: call.step, bootstrapId: call.bootstrapId, ...(end ? { outcome: end.outcome } : {}) };
}

/**
 * The engine's side of execution traces: every webhook's events go to the store (in the same
 * tick as the call-state write, so on the web's auto-pipelined connection they share its
 * round trip) and to the log as one structured line. Tracing never fails a call: a store
 * error is logged and the caller hears the flow as usual.
 */
export class CallTracer {
  constructor(
    private readonly store: TraceStore | null,
    private readonly logger: Logger,
  ) {}

  /** A call begins (first webhook, hand-in, restart). */
  started(
    call: CallState,
    flow: Flow,
    params: CallParams,
    events: readonly TraceEvent[],
    draft: boolean,
  ): Promise<void> {
    const source = params.source ?? 'call';
    this.log(call, events, { source, draft });
    if (!this.store) return Promise.resolve();
    return this.store
      .start(
        {
          callSid: call.callSid,
          flow: flow.id,
          revision: flow.revision,
          version: flow.version,
          source,
          draft,
          from: maskPhone(params.from),
          startedAt: call.startedAt,
          ...(changed(call, events) as object),
        },
        events,
      )
      .catch((err: unknown) => this.failed(call.callSid, err));
  }

  /** One later webhook of the call. */
  turn(call: CallState, events: readonly TraceEvent[]): Promise<void> {
    this.log(call, events, {});
    if (!this.store) return Promise.resolve();
    return this.store
      .append(call.callSid, events, changed(call, events))
      .catch((err) => this.failed(call.callSid, err));
  }

  /** Twilio says the call is over: its end time, and "hung-up" unless it reached an end of its own. */
  async ended(callSid: string): Promise<void> {
    await this.store?.finish(callSid).catch((err: unknown) => this.failed(callSid, err));
  }

  private log(call: CallState, events: readonly TraceEvent[], extra: Record<string, unknown>): void {
    if (events.length)
      this.logger.info(
        { callSid: call.callSid, flow: call.flowId, revision: call.revision, ...extra, trace: events },
        'call trace',
      );
  }

  private failed(callSid: string, err: unknown): void {
    this.logger.warn({ callSid, err: (err as Error)?.message ?? String(err) }, 'call trace not stored');
  }
}
