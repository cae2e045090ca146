import { requestBootstrap, type BootstrapRequest, type IntakeDeps, type IntakeResult } from '../deliveries/intake.js';
import { doorRequests } from '../platform/metrics.js';
import { BootlineError } from '../errors.js';
import type { admission } from './guard.js';

/**
 * The hotline's way in: the voice engine's requestBootstrap service, with the checks every door
 * gets (a SIM-swap block refuses it: the flow's error route hands the caller to an agent). The
 * call names its bootstrap (`bs-<CallSid>`), so a replayed webhook asks again for the same one,
 * and a request already made is answered as before, without the checks.
 */
export function hotlineIntake(deps: IntakeDeps, admit: ReturnType<typeof admission>) {
  return async (req: BootstrapRequest): Promise<IntakeResult> => {
    try {
      if ((await deps.store.status(req.id)) === null) await admit(req);
      const r = await requestBootstrap(deps, req);
      doorRequests.inc({ door: 'hotline', outcome: r.created ? 'queued' : 'repeated' });
      return r;
    } catch (err) {
      doorRequests.inc({ door: 'hotline', outcome: err instanceof BootlineError ? err.code : 'error' });
      throw err;
    }
  };
}
