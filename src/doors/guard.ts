import { BootlineError } from '../errors.js';
import { maskPhone } from '../platform/mask.js';
import { doorRequests } from '../platform/metrics.js';
import { assertDestination, type DestinationPolicy } from '../policy/destination.js';
import type { NumberBlocks } from './blocks.js';
import type { BootstrapIntake, Origin } from './intake.js';

export interface GuardDeps {
  readonly destination: DestinationPolicy;
  readonly blocks: NumberBlocks;
}

/**
 * Whether a new bootstrap to this number may be asked for at all: the destination policy and
 * the network's blocks. The hotline runs it too, before the intake (its ids are its own).
 */
export function admission(deps: GuardDeps) {
  return async (req: { readonly msisdn: string; readonly origin: Origin }): Promise<void> => {
    assertDestination(deps.destination, req.msisdn);
    const block = await deps.blocks.blocked(req.msisdn);
    if (block)
      throw new BootlineError(
        'NUMBER_BLOCKED',
        `bootstraps to ${maskPhone(req.msisdn)} are blocked until ${block.until} (${block.reason})`,
        { reason: block.reason, until: block.until },
      );
  };
}

/**
 * The checks every door gets, in front of the intake: the destination policy (the worker checks
 * it again at the last hop) and the network's blocks (a recent SIM swap). A request already
 * made is answered as before without them, so a retried request never turns into a refusal.
 * Rate limits stay with each door: who the caller is (a phone, an IP, a clerk) is the door's.
 */
export function guardIntake(inner: BootstrapIntake, deps: GuardDeps): BootstrapIntake {
  const admit = admission(deps);
  return {
    ...inner,
    async request(req) {
      const existing = await inner.status(inner.idFor(req.id));
      if (existing) return { id: existing.id, created: false, state: existing.state };
      try {
        await admit(req);
        const accepted = await inner.request(req);
        doorRequests.inc({ door: req.origin.door, outcome: accepted.created ? 'queued' : 'repeated' });
        return accepted;
      } catch (err) {
        doorRequests.inc({ door: req.origin.door, outcome: err instanceof BootlineError ? err.code : 'error' });
        throw err;
      }
    },
  };
}
