import type { CallState } from './call-state.js';
import type { Flow } from './flow.js';
import type { Turn } from './turn.js';
import type { TraceEvent } from './trace/events.js';

/** Revisions kept; more means old revisions of edited flows, dropped together. */
const MAX_KEPT = 64;

/**
 * A new call's first turn, kept per flow revision. Every new call on a revision starts in the
 * same state, so when its first turn passes only `pure` steps (say, menu, goto, hangup: TwiML
 * from the flow and the state alone) the TwiML and where the turn left the call are the same
 * for every caller: the language menu is rendered once, not once per call.
 */
export class FirstTurns {
  private readonly kept = new Map<
    string,
    { readonly body: string; readonly moved: string; readonly events: readonly TraceEvent[] }
  >();

  /**
   * The call moved to where the kept turn leaves it, that turn's TwiML and its trace events
   * (stamped now), or `make`'s.
   */
  async answer(
    call: CallState,
    flow: Flow,
    make: () => Promise<Turn>,
  ): Promise<{ body: string; events: readonly TraceEvent[] }> {
    const key = `${flow.id}@${flow.revision}`;
    const kept = this.kept.get(key);
    if (kept) {
      Object.assign(call, JSON.parse(kept.moved) as Partial<CallState>);
      const now = Date.now();
      return { body: kept.body, events: kept.events.map((e) => ({ ...e, t: now })) };
    }
    const turn = await make();
    const body = turn.twiml.toString();
    if (turn.pure) {
      if (this.kept.size >= MAX_KEPT) this.kept.clear();
      const { step, prevStep, reason, attempts, since } = call;
      const moved = JSON.stringify({ step, prevStep, reason, attempts, since });
      this.kept.set(key, { body, moved, events: turn.events });
    }
    return { body, events: turn.events };
  }
}
