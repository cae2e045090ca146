import { requestBootstrap, type IntakeDeps } from '../deliveries/intake.js';
import { BootlineError } from '../errors.js';
import { PROFILES, SEC_METHODS, type BootstrapIntake, type SecMethod } from './intake.js';

/**
 * The doors' intake on the delivery lifecycle: a door's request id becomes the bootstrap id
 * `bs-<request id>` (the hotline's is `bs-<CallSid>`), the record carries the origin, the
 * profile and SEC method the door chose, and the worker builds exactly that. What a deployment
 * cannot sign is refused up front: the NETWPIN methods need the subscriber lookup (the IMSI is
 * their key).
 */
export function deliveryIntake(deps: IntakeDeps & { readonly imsiLookup: boolean }): BootstrapIntake {
  const secs: readonly SecMethod[] = deps.imsiLookup
    ? SEC_METHODS
    : SEC_METHODS.filter((s) => s !== 'NETWPIN' && s !== 'USERNETWPIN');
  const supports = { profiles: PROFILES, secs };
  const defaults = { profile: deps.defaults.profile, sec: deps.defaults.sec ?? 'USERPIN' } as const;
  const idFor = (requestId: string) => `bs-${requestId}`;
  return {
    supports,
    defaults,
    idFor,
    async request(req) {
      const sec = req.sec ?? defaults.sec;
      if (!supports.secs.includes(sec)) {
        throw new BootlineError(
          'BOOTSTRAP_OPTION_UNSUPPORTED',
          `this deployment cannot sign ${sec}: it has no subscriber lookup (SUBSCRIBER_LOOKUP_URL) for the IMSI`,
          { supported: supports },
        );
      }
      const r = await requestBootstrap(deps, { ...req, id: idFor(req.id) });
      return { id: r.id, created: r.created, state: r.state, ...(r.pin ? { pin: r.pin } : {}) };
    },
    async status(id) {
      const rec = await deps.store.get(id);
      if (!rec) return null;
      return {
        id,
        state: rec.status,
        origin: rec.origin,
        profile: rec.profile,
        sec: rec.sec ?? defaults.sec,
        ...(rec.tac ? { tac: rec.tac } : {}),
        ...(rec.errorCode ? { error: `${rec.errorCode}: ${rec.error ?? ''}` } : {}),
      };
    },
  };
}
