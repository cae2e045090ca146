import { z } from 'zod';
import { maskPhone } from '../../lib/mask.js';
import { PROMPT_KEY, STEP_ID } from '../flow.js';
import { defineStep, type StepContext } from '../context.js';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number, e.g. +442071234567');
const ENQUEUE = z.strictObject({
  queue: z.string().min(1).max(64).optional().describe('Named Twilio queue'),
  workflowSid: z.string().regex(/^WW[0-9a-f]{32}$/).optional().describe('TaskRouter workflow; the call context goes in <Task>'),
  waitUrl: z.url({ protocol: /^https?$/ }).optional(),
}).refine((e) => e.queue !== undefined || e.workflowSid !== undefined, 'enqueue needs a queue or a workflowSid');
const DIAL = z.strictObject({
  number: E164.optional(),
  sip: z.string().regex(/^sips?:[^\s@]+@[^\s]+$/, 'a SIP URI, e.g. sip:agents@pbx.example.com').optional(),
  callerId: E164.optional(),
  timeout: z.number().int().min(5).max(60).default(20),
}).refine((d) => (d.number === undefined) !== (d.sip === undefined), 'dial needs exactly one of number or sip');

const schema = z.strictObject({
  type: z.literal('transfer-to-agent'),
  prompt: PROMPT_KEY.optional(),
  reason: z.string().regex(/^[a-z-]{1,40}$/).optional().describe('Reported to the agent; default: why the call got here'),
  enqueue: ENQUEUE.optional(),
  dial: DIAL.optional(),
  next: STEP_ID.optional().describe('When no agent took the call; default: hang up'),
}).refine((s) => (s.enqueue === undefined) !== (s.dial === undefined), 'transfer-to-agent needs exactly one of enqueue or dial');

/** What the agent sees: never the number in clear, never the PIN or a code. */
function taskAttributes(ctx: StepContext, reason: string | undefined) {
  const { call } = ctx;
  return {
    maskedNumber: call.msisdn ? maskPhone(call.msisdn) : null, language: call.lang, reason: reason ?? call.reason ?? 'caller-request',
    lastStep: call.prevStep ?? null, bootstrapId: call.bootstrapId ?? null, callSid: call.callSid,
  };
}

/** Hands the caller to a person: <Enqueue> (queue or TaskRouter) or <Dial> (number or SIP). */
export const transferToAgentStep = defineStep<z.infer<typeof schema>>({
  type: 'transfer-to-agent',
  kind: 'wait',
  schema,
  enter(step, ctx) {
    if (step.prompt) ctx.say(ctx.twiml, step.prompt);
    const task = taskAttributes(ctx, step.reason);
    const action = { action: ctx.actionUrl(), method: 'POST' as const };
    if (step.enqueue) {
      const { queue, workflowSid, waitUrl } = step.enqueue;
      const attrs = { ...action, ...(workflowSid ? { workflowSid } : {}), ...(waitUrl ? { waitUrl } : {}) };
      const e = queue ? ctx.twiml.enqueue(attrs, queue) : ctx.twiml.enqueue(attrs);
      if (workflowSid) e.task({}, JSON.stringify(task));
    } else if (step.dial) {
      const { number, sip, callerId, timeout } = step.dial;
      const d = ctx.twiml.dial({ ...action, timeout, ...(callerId ? { callerId } : {}) });
      if (number) d.number(number); else d.sip(sip!);
    }
    ctx.services.logger.info({ ...task, step: ctx.stepId }, 'transfer to agent');
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
