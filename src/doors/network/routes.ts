import { createHash, timingSafeEqual } from 'node:crypto';
import { raw, Router, type RequestHandler } from 'express';
import { BootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import type { AbuseGuard } from '../../policy/limits.js';
import type { NetworkAction, NetworkPolicy } from '../../policy/network-events.js';
import type { NumberBlocks } from '../blocks.js';
import type { BootstrapIntake } from '../intake.js';
import { networkEventData, readStructuredEvent } from './cloudevent.js';

/** A sender retries for a while; a week outlasts any retry schedule. */
const SEEN_S = 7 * 24 * 3600;

export interface NetworkEventsDeps {
  readonly token: string;
  readonly policy: NetworkPolicy;
  readonly redis: RedisClient;
  readonly intake: BootstrapIntake;
  readonly blocks: NumberBlocks;
  readonly guard: AbuseGuard;
  readonly logger: Logger;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * A CAMARA notification sink authenticates its sender with the access token given as
 * `sinkCredential` at subscription, sent back as `Authorization: Bearer` (CAMARA API design
 * guide, event notification). Compared as SHA-256 digests in constant time: equal length,
 * content not leaked.
 */
function bearer(token: string): RequestHandler {
  const want = sha256(token);
  return (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(sha256(m[1]!), want)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="bootline network events"');
      next(new BootlineError('API_UNAUTHORIZED', 'the network-events bearer token is required'));
      return;
    }
    next();
  };
}

/**
 * POST /events/network: CloudEvents 1.0 in structured JSON mode. What each type does comes
 * from NETWORK_EVENTS_POLICY. 202 with what was done (and the bootstrap id when one was
 * queued); 200 for an event (source + id) already handled, with the first answer and nothing
 * done again; 401 without the token; 415/400 for what is not one valid CloudEvent.
 */
export function networkEventRoutes(deps: NetworkEventsDeps): Router {
  const r = Router();
  r.post('/events/network', bearer(deps.token), raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const event = readStructuredEvent(req.headers['content-type'], body);
    // CloudEvents 1.0 §3.1.1: source + id identify an event; a sender re-sends with both unchanged.
    const hash = sha256(`${event.source}\n${event.id}`).toString('base64url').slice(0, 24);
    const seen = KEYS.networkEvent(hash);
    if ((await deps.redis.set(seen, '{}', 'EX', SEEN_S, 'NX')) === null) {
      const first = JSON.parse((await deps.redis.get(seen)) ?? '{}') as object;
      res.status(200).json({ duplicate: true, id: event.id, ...first });
      return;
    }
    try {
      const action = deps.policy.get(event.type) ?? ({ kind: 'ignore' } as const);
      const answer = await act(deps, event, action, hash);
      await deps.redis.set(seen, JSON.stringify(answer), 'EX', SEEN_S);
      res.status(202).json({ id: event.id, ...answer });
    } catch (err) {
      // Not handled: the sender's retry is a first attempt again.
      await deps.redis.del(seen);
      throw err;
    }
  });
  return r;
}

async function act(
  deps: NetworkEventsDeps,
  event: ReturnType<typeof readStructuredEvent>,
  action: NetworkAction,
  hash: string,
): Promise<Record<string, unknown>> {
  const log = { door: 'network', type: event.type, event: event.id, source: event.source };
  if (action.kind === 'ignore') {
    deps.logger.info(log, 'network event ignored (policy)');
    return { action: 'ignore' };
  }
  const data = networkEventData(event);
  if (action.kind === 'block') {
    const block = await deps.blocks.block(data.phoneNumber, {
      reason: 'sim-swap',
      event: event.id,
      seconds: action.seconds,
    });
    deps.logger.warn({ ...log, to: maskPhone(data.phoneNumber), until: block.until }, 'number blocked (network event)');
    return { action: 'block', until: block.until };
  }
  const limit = await deps.guard.allow('bootstrap', { destination: data.phoneNumber });
  if (!limit.ok)
    throw new BootlineError('RATE_LIMITED', `bootstrap refused by the ${limit.scope} limit`, { scope: limit.scope });
  const accepted = await deps.intake.request({
    id: `net-${hash}`,
    msisdn: data.phoneNumber,
    origin: { door: 'network', by: `event ${event.id.slice(0, 60)} (${String(event.source).slice(0, 80)})` },
    sec: action.sec,
    ...(data.imei ? { imei: data.imei } : {}),
  });
  deps.logger.info({ ...log, to: maskPhone(data.phoneNumber), bootstrapId: accepted.id }, 'bootstrap requested');
  return { action: 'bootstrap', bootstrapId: accepted.id, state: accepted.state };
}
