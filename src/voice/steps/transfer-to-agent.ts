import { z } from 'zod';
import { maskPhone } from '../../platform/mask.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep, type StepContext } from '../context.js';
import { agentContext, sipWithHeaders, type AgentContextFields } from './agent-context.js';
import { E164 } from '../../platform/e164.js';

const E164_NUMBER = z.string().regex(E164, 'an E.164 number, e.g. +442071234567');
export const SIP_URI = z.string().regex(/^sips?:[^\s@?]+@[^\s?]+$/, 'a SIP URI, e.g. sip:agents@pbx.example.com');
const ENQUEUE = z
  .strictObject({
    queue: z.string().min(1).max(64).optional().describe('Named Twilio queue'),
    workflowSid: z
      .string()
      .regex(/^WW[0-9a-f]{32}$/)
      .optional()
      .describe('TaskRouter workflow; the call context goes in <Task>'),
    waitUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((e) => e.queue !== undefined || e.workflowSid !== undefined, 'enqueue needs a queue or a workflowSid');
const DIAL = z
  .strictObject({
    number: E164_NUMBER.optional(),
    sip: SIP_URI.optional(),
    client: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,120}$/)
      .optional()
      .describe('Twilio Client identity; the call context goes in <Parameter>s'),
    headers: z.boolean().default(false).describe('sip: send the call context as X-Bootline-* SIP headers'),
    callerId: E164_NUMBER.optional(),
    timeout: z.number().int().min(5).max(60).default(20),
  })
  .refine(
    (d) => [d.number, d.sip, d.client].filter((x) => x !== undefined).length === 1,
    'dial needs exactly one of number, sip or client',
  )
  .refine((d) => !d.headers || d.sip !== undefined, 'headers needs a sip target');

const schema = z
  .strictObject({
    type: z.literal('transfer-to-agent'),
    prompt: PROMPT_KEY.optional(),
    reason: z
      .string()
      .regex(/^[a-z-]{1,40}$/)
      .optional()
      .describe('Reported to the agent; default: why the call got here'),
    enqueue: ENQUEUE.optional().describe(
      '<Enqueue> to a named queue or a TaskRouter workflow (waitUrl: what the caller hears)',
    ),
    dial: DIAL.optional().describe(
      '<Dial> a number, a SIP URI (headers: true sends the context as X-Bootline-* headers) or a Twilio Client',
    ),
    returnToAgent: z
      .boolean()
      .default(false)
      .describe(
        "A caller an agent handed in goes back to that agent: the hand-in's returnTo (number or SIP URI), " +
          "else this step's target with the agent id in the context",
      ),
    onNoHandIn: STEP_ID.optional().describe(
      'With returnToAgent: where a caller no agent handed in goes instead (e.g. goodbye)',
    ),
    next: STEP_ID.optional().describe('When no agent took the call; default: hang up'),
  })
  .refine(
    (s) => (s.enqueue === undefined) !== (s.dial === undefined),
    'transfer-to-agent needs exactly one of enqueue or dial',
  )
  .refine((s) => s.onNoHandIn === undefined || s.returnToAgent, 'onNoHandIn needs returnToAgent: true');
type Step = z.infer<typeof schema>;

/** What the agent sees: never the number in clear, never the PIN or a code. */
async function taskAttributes(ctx: StepContext, step: Step): Promise<AgentContextFields> {
  const { call } = ctx;
  const status = call.bootstrapId ? await ctx.services.bootstrapStatus(call.bootstrapId).catch(() => null) : null;
  return {
    maskedNumber: call.msisdn ? maskPhone(call.msisdn) : null,
    language: call.lang,
    reason: step.reason ?? call.reason ?? 'caller-request',
    lastStep: call.prevStep ?? null,
    bootstrapId: call.bootstrapId ?? null,
    verified: Boolean(call.verified),
    bootstrapStatus: status,
    callSid: call.callSid,
    ...(call.agent ? agentContext(call.agent, step.returnToAgent) : {}),
  };
}

/**
 * <Enqueue> to the step's TaskRouter workflow, or to its named queue. With TWILIO_WORKFLOW_SID
 * set, a named queue goes through that workflow too, the queue's name an attribute beside the
 * call's context (a workflow filter routes on it): Twilio carries task attributes only for
 * TaskRouter (TwiML <Enqueue>: the <Task> noun needs workflowSid).
 */
function enqueue(ctx: StepContext, e: NonNullable<Step['enqueue']>, task: AgentContextFields): string {
  const workflowSid = e.workflowSid ?? ctx.services.taskRouterWorkflowSid;
  const attrs = {
    action: ctx.actionUrl(),
    method: 'POST' as const,
    ...(workflowSid ? { workflowSid } : {}),
    ...(e.waitUrl ? { waitUrl: e.waitUrl } : {}),
  };
  if (!workflowSid) {
    ctx.twiml.enqueue(attrs, e.queue!);
    return e.queue!;
  }
  ctx.twiml.enqueue(attrs).task({}, JSON.stringify(e.workflowSid ? task : { ...task, queue: e.queue }));
  return workflowSid;
}

/** <Dial> to a number, a SIP URI (context as X-headers when asked) or a Client (context as <Parameter>s). */
function dial(
  ctx: StepContext,
  d: Omit<NonNullable<Step['dial']>, 'timeout' | 'headers'> & { timeout?: number; headers?: boolean },
  task: AgentContextFields,
): void {
  const el = ctx.twiml.dial({
    action: ctx.actionUrl(),
    method: 'POST',
    timeout: d.timeout ?? 20,
    ...(d.callerId ? { callerId: d.callerId } : {}),
  });
  if (d.number) el.number(d.number);
  else if (d.sip) el.sip(d.headers ? sipWithHeaders(d.sip, task) : d.sip);
  else if (d.client) {
    const c = el.client();
    c.identity(d.client);
    for (const [name, value] of Object.entries(task)) if (value !== null) c.parameter({ name, value: String(value) });
  }
}

/**
 * Hands the caller to a person: <Enqueue> (queue or TaskRouter) or <Dial> (number, SIP or
 * Client), with the call's context for the agent. With returnToAgent, a caller a support
 * agent handed in goes back to that agent (docs/guides/support-agents.md).
 */
export const transferToAgentStep = defineStep<Step>({
  type: 'transfer-to-agent',
  kind: 'wait',
  schema: schema.describe(
    'Hands the caller to a person: <Enqueue> to a queue or TaskRouter workflow, or <Dial> a number, ' +
      'SIP URI or Twilio Client, with the call context (never the number in clear, a PIN or a code); ' +
      'returnToAgent brings a handed-in caller back.',
  ),
  async enter(step, ctx) {
    const link = ctx.call.agent;
    if (step.returnToAgent && !link && step.onNoHandIn) return { goto: step.onNoHandIn };
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    const task = await taskAttributes(ctx, step);
    const back = step.returnToAgent ? link?.returnTo : undefined;
    let target: string;
    if (back) {
      dial(ctx, back.startsWith('+') ? { number: back } : { sip: back, headers: true }, task);
      target = back.startsWith('+') ? maskPhone(back) : back;
    } else if (step.enqueue) target = enqueue(ctx, step.enqueue, task);
    else {
      dial(ctx, step.dial!, task);
      target = step.dial!.number ?? step.dial!.sip ?? step.dial!.client ?? '';
    }
    const verb = back || !step.enqueue ? 'Dial' : 'Enqueue';
    ctx.note({ kind: 'escalation', step: ctx.stepId, verb, target, attributes: { ...task } });
    ctx.note({ kind: 'end', step: ctx.stepId, outcome: 'agent' });
    const { maskedNumber: _m, ...logged } = task;
    ctx.services.logger.info({ ...logged, step: ctx.stepId, returning: Boolean(back) }, 'transfer to agent');
    return { wait: true };
  },
  /** Twilio comes back when the transfer ends: bridged means an agent took the call. */
  input(step, ctx) {
    const result = ctx.params.transferResult ?? '';
    if (result === 'completed' || result === 'bridged' || !step.next) {
      ctx.twiml.hangup();
      return { end: true };
    }
    return { goto: step.next, reason: 'no-agent' };
  },
});
