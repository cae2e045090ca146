import type { Flow } from '../../voice/flow.js';
import type { TraceEvent } from '../../voice/trace/events.js';
import { CallSimulator, type Turn } from '../simulator/call.js';
import { pathOf } from '../calls.js';
import type { Harness } from './harness.js';
import type { Action, TestCase } from './spec.js';

export interface CaseResult {
  readonly file: string;
  readonly name: string;
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly callSid: string | null;
  readonly ms: number;
}

/** What the caller did and heard, and what the call left behind, for the expectations. */
interface Played {
  readonly heard: string[];
  readonly failures: string[];
  /** Code SMS the engine has sent on the call so far: `code: sms` waits until that many reached the SMSC. */
  codesSent(): number;
}

const A_ATTESTED = 'TN-Validation-Passed-A';

/** Plays one action; returns a failure line when the call could not do it. */
async function play(sim: CallSimulator, a: Action, p: Played, since: { at: number }): Promise<string | null> {
  const t = sim.turn;
  const take = (turn: Turn) => {
    p.heard.push(...turn.says);
    if (turn.status !== 200) return `the webhook answered HTTP ${turn.status}`;
    return null;
  };
  if ('hear' in a) {
    const rest = p.heard.slice(since.at);
    const i = rest.findIndex((s) => s.includes(a.hear));
    if (i < 0) return `expected to hear "${a.hear}", heard: ${rest.map((s) => `"${s}"`).join(', ') || 'nothing'}`;
    since.at += i + 1;
    return null;
  }
  if ('hangup' in a) {
    await sim.hangup();
    return null;
  }
  if ('agent' in a) {
    if (!t?.transfer) return 'the caller is not with an agent';
    return take(await sim.endTransfer(a.agent));
  }
  if (!t?.gather) return `the call is not waiting for keys (${t?.hungUp ? 'it ended' : 'no prompt'})`;
  if ('silence' in a) return take(await sim.silence());
  if ('press' in a) {
    const g = t.gather;
    // Twilio ends the entry at the finish key and leaves it out of Digits.
    const keys = g.finishOnKey && a.press.endsWith(g.finishOnKey) ? a.press.slice(0, -1) : a.press;
    return take(await sim.press(keys));
  }
  // `sms`: the code of the newest SMS the call sent (after a resend, the new one); `wrong`: anything else.
  const sent = p.codesSent();
  const code = await sim.waitForCode({ after: Math.max(0, sent - 1), timeoutMs: 15_000 }).catch(() => null);
  if (!code) return sent > 1 ? 'no new code SMS arrived' : 'no code SMS arrived';
  return take(await sim.press(a.code === 'sms' ? code : code === '000000' ? '111111' : '000000'));
}

function inOrder(haystack: readonly string[], needles: readonly string[], match: (h: string, n: string) => boolean) {
  let at = 0;
  for (const n of needles) {
    const i = haystack.slice(at).findIndex((h) => match(h, n));
    if (i < 0) return n;
    at += i + 1;
  }
  return null;
}

/** Compares the expectations with what was heard, the call's trace and the delivery side. */
async function check(c: TestCase, h: Harness, callSid: string, p: Played): Promise<void> {
  const e = c.expect;
  const trace = await h.traces.get(callSid);
  const events: readonly TraceEvent[] = trace?.events ?? [];
  const path = pathOf(events);
  const fail = (s: string) => p.failures.push(s);
  const missingHeard = e.heard ? inOrder(p.heard, e.heard, (s, n) => s.includes(n)) : null;
  if (missingHeard)
    fail(`expected to hear "${missingHeard}" (in order); heard: ${p.heard.map((s) => `"${s}"`).join(', ')}`);
  for (const n of e.notHeard ?? []) if (p.heard.some((s) => s.includes(n))) fail(`heard "${n}", which it should not`);
  const missingStep = e.steps ? inOrder(path, e.steps, (s, n) => s === n) : null;
  if (missingStep) fail(`expected step ${missingStep} (in order ${e.steps!.join(' → ')}); went ${path.join(' → ')}`);
  for (const s of e.notSteps ?? []) if (path.includes(s)) fail(`went through ${s}; path ${path.join(' → ')}`);
  if (e.sms !== undefined) {
    const n = (await h.delivery.texts(callSid)).length;
    if (n !== e.sms) fail(`expected ${e.sms} code SMS, the SMSC accepted ${n}`);
  }
  if (e.push !== undefined) {
    const status = (await h.delivery.push(callSid)) ?? 'none';
    const got = status === 'expired' ? 'failed' : status === 'submitted' ? 'queued' : status;
    // A push the handset used (or not) afterwards was delivered first.
    const delivered = e.push === 'delivered' && (got === 'enrolled' || got === 'not-enrolled');
    if (got !== e.push && !delivered) fail(`expected push ${e.push}, it is ${status}`);
  }
  if (e.escalation) {
    const esc = events.findLast((x) => x.kind === 'escalation');
    if (esc?.kind !== 'escalation') fail('expected an escalation to an agent; there was none');
    else {
      if (e.escalation.verb && esc.verb !== e.escalation.verb) fail(`expected ${e.escalation.verb}, got ${esc.verb}`);
      if (e.escalation.target && esc.target !== e.escalation.target)
        fail(`expected the transfer to ${e.escalation.target}, got ${esc.target}`);
      for (const [k, v] of Object.entries(e.escalation.attributes ?? {}))
        if (esc.attributes[k] !== v)
          fail(`expected attribute ${k} = ${JSON.stringify(v)}, got ${JSON.stringify(esc.attributes[k] ?? null)}`);
    }
  }
  if (e.outcome && trace?.meta.outcome !== e.outcome)
    fail(`expected outcome ${e.outcome}, got ${trace?.meta.outcome ?? 'none'}`);
}

/**
 * Runs one test case: a call on `flow` (under a one-off preview id, so the live version and
 * real callers are untouched) through the harness's engine, played by the same simulator the
 * console uses, then its expectations against what the caller heard, the call's trace and
 * the delivery side. Never throws for a failing flow: failures are lines in the result.
 */
export async function runCase(h: Harness, flow: Flow, file: string, c: TestCase): Promise<CaseResult> {
  const started = Date.now();
  const p: Played = { heard: [], failures: [], codesSent: () => h.codesSent(sim.callSid) };
  const routeId = h.registry.preview(flow);
  await h.delivery.answer(c.smsc, c.handset);
  const sim = new CallSimulator({
    transport: h.transport,
    baseUrl: h.baseUrl,
    authToken: h.authToken,
    from: c.caller.from,
    extra: { BootlineSource: 'test', ...(c.caller.attested ? { StirVerstat: A_ATTESTED } : {}) },
    pauseMs: (s) => s * 10,
    maxRedirects: 500,
    inbox: { texts: (sid) => h.delivery.texts(sid) },
    onHeard: (says) => h.delivery.heard?.(sim.callSid, says),
  });
  try {
    const first = c.caller.handIn
      ? await h
          .handIn({ routeId, callSid: sim.callSid, ...c.caller.handIn })
          .then((r) => sim.redirectTo(r.url, r.fallbackUrl))
      : await sim.dial(`/voice/incoming?flow=${encodeURIComponent(routeId)}`);
    p.heard.push(...first.says);
    const since = { at: 0 };
    for (const [i, a] of c.script.entries()) {
      const why = await play(sim, a, p, since);
      if (why) {
        p.failures.push(`script step ${i + 1} (${Object.keys(a)[0]}): ${why}`);
        break;
      }
    }
    if (!c.script.some((a) => 'hangup' in a)) await sim.hangup();
    if (!p.failures.length) await check(c, h, sim.callSid, p);
  } catch (err) {
    p.failures.push(`the test could not run: ${(err as Error).message}`);
  }
  return {
    file,
    name: c.name,
    ok: p.failures.length === 0,
    failures: p.failures,
    callSid: sim.callSid,
    ms: Date.now() - started,
  };
}
