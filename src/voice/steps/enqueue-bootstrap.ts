import { z } from 'zod';
import { BootlineError } from '../../errors.js';
import { unseal } from '../../lib/seal.js';
import { defineStep } from '../context.js';

const schema = z.strictObject({ type: z.literal('enqueue-bootstrap'), next: z.string() });

/** Queues the push for the confirmed number with the PIN spoken earlier in this call. */
export const enqueueBootstrapStep = defineStep<z.infer<typeof schema>>({
  type: 'enqueue-bootstrap',
  schema,
  async enter(step, ctx) {
    const { call, services } = ctx;
    const pin = call.pinSealed ? unseal(services.sealKey, call.pinSealed, call.callSid) : null;
    if (!call.msisdn || pin === null) {
      throw new BootlineError('FLOW_INVALID', 'enqueue-bootstrap reached without a confirmed number and a spoken PIN', { step: ctx.stepId });
    }
    const { bootstrapId } = await services.enqueueBootstrap({ callSid: call.callSid, msisdn: call.msisdn, flowId: ctx.flow.id, pin });
    call.bootstrapId = bootstrapId;
    return { goto: step.next };
  },
});
