import type { BootstrapIntake } from './intake.js';

/**
 * The hotline's way in: the voice engine's enqueueBootstrap service, on the intake, so a call
 * gets the same checks as every other door (a SIM-swap block refuses it: the flow's error
 * route hands the caller to an agent). The id is the call's, so a replayed webhook is a no-op.
 */
export function hotlineEnqueue(intake: BootstrapIntake) {
  return async (i: { callSid: string; msisdn: string; flowId: string; pin: string }) => {
    const accepted = await intake.request({
      id: i.callSid,
      msisdn: i.msisdn,
      origin: { door: 'hotline', by: `call …${i.callSid.slice(-6)}` },
      flowId: i.flowId,
      pin: i.pin,
    });
    return { bootstrapId: accepted.id };
  };
}
