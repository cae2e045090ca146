import type { Queue } from 'bullmq';
import { enqueueBootstrap } from '../../deliveries/enqueue.js';
import type { BootstrapStore } from '../../deliveries/store/store.js';
import { BootlineError } from '../../errors.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { bootstrapIdForCall } from '../../deliveries/ids.js';
import type { BootstrapJobData } from '../../queues/catalogue.js';
import {
  needsUserPin,
  newPin,
  REQUEST_ID,
  tacOf,
  type BootstrapIntake,
  type BootstrapState,
  type Profile,
  type SecMethod,
} from '../intake.js';
import { OriginStore } from './origin-store.js';

/**
 * The intake on today's deliveries: the record and push job of enqueueBootstrap (idempotent by
 * id: the job id is the bootstrap id), plus the origin hash beside the record. The push worker
 * builds the CP profile signed with PUSH_SECURITY for every bootstrap, so this intake pushes
 * exactly that and refuses other choices up front (BOOTSTRAP_OPTION_UNSUPPORTED, listing what
 * it can), rather than accept a choice it would not honour. Interim: the lifecycle intake,
 * with the profile and SEC method on the record, replaces this file.
 */
export function interimIntake(deps: {
  readonly queue: Queue<BootstrapJobData>;
  readonly store: BootstrapStore;
  readonly redis: RedisClient;
  readonly pinLength: number;
  /** PUSH_SECURITY: the one SEC method the worker signs with. */
  readonly pushSecurity: SecMethod;
}): BootstrapIntake {
  const origins = new OriginStore(deps.redis);
  const supports = { profiles: ['cp'] as readonly Profile[], secs: [deps.pushSecurity] as readonly SecMethod[] };
  const defaults = { profile: 'cp' as Profile, sec: deps.pushSecurity };
  return {
    supports,
    defaults,
    idFor: (requestId) => bootstrapIdForCall(requestId),
    async request(req) {
      if (!REQUEST_ID.test(req.id)) throw new BootlineError('BAD_REQUEST', 'malformed bootstrap request id');
      const profile = req.profile ?? defaults.profile;
      const sec = req.sec ?? defaults.sec;
      if (!supports.profiles.includes(profile) || !supports.secs.includes(sec))
        throw new BootlineError(
          'BOOTSTRAP_OPTION_UNSUPPORTED',
          `this deployment pushes profile ${supports.profiles.join('/')} signed ${supports.secs.join('/')} ` +
            `(PUSH_SECURITY), not ${profile} ${sec}`,
          { supported: supports },
        );
      const id = bootstrapIdForCall(req.id);
      // The record needs a PIN even for NETWPIN (the worker then ignores it); it is shown only when it is the key.
      const pin = req.pin ?? newPin(deps.pinLength);
      await origins.write(id, { origin: req.origin, profile, sec, ...(req.imei ? { tac: tacOf(req.imei) } : {}) });
      const { bootstrapId, created } = await enqueueBootstrap(
        { queue: deps.queue, store: deps.store },
        { callSid: req.id, msisdn: req.msisdn, flowId: req.flowId ?? '', pin },
      );
      const state = created ? 'queued' : ((await deps.store.status(bootstrapId)) ?? 'queued');
      return {
        id: bootstrapId,
        created,
        state: state as BootstrapState,
        ...(created && !req.pin && needsUserPin(sec) ? { pin } : {}),
      };
    },
    async status(id) {
      const [state, o] = await Promise.all([deps.store.status(id), origins.read(id)]);
      if (!state) return null;
      const failed = state === 'failed' || state === 'expired' ? await deps.store.get(id) : null;
      return {
        id,
        state: state as BootstrapState,
        origin: o?.origin ?? null,
        profile: o?.profile ?? 'cp',
        sec: o?.sec ?? deps.pushSecurity,
        ...(o?.tac ? { tac: o.tac } : {}),
        ...(failed
          ? { error: `${failed.errorCode ?? failed.smscError ?? 'FAILED'}: ${failed.error ?? ''}`.trim() }
          : {}),
      };
    },
  };
}
