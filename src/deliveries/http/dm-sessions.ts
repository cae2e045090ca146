/**
 * Owns the enrolment signal: POST /api/dm/sessions, where the DM server reports that a device
 * opened a session with the credentials bootline registered for it (`session-started`), or
 * reached it and failed authentication (`auth-failed`, with its cause). Signed exactly like
 * credential registrations (dm/signature.ts: HMAC-SHA256 with DM_REGISTER_SECRET over
 * `<timestamp>.<raw body>`, ±300 s), and each signature is accepted once: a captured request
 * replayed within the window is refused.
 */
import { raw, Router } from 'express';
import { z } from 'zod';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_S, TIMESTAMP_HEADER, verifyBody } from '../../dm/signature.js';
import { BootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import type { RedisClient } from '../../platform/redis/client.js';
import { KEYS } from '../../platform/redis/keys.js';
import type { FollowUp } from '../follow-up.js';
import type { BootstrapStore } from '../store/store.js';

export interface DmSessionDeps {
  /** DM_REGISTER_SECRET: the DM server signs its signals as bootline signs its registrations. */
  readonly secret: string;
  /** DM_SERVER_ID: a signal naming another server is refused. */
  readonly serverId: string;
  readonly store: BootstrapStore;
  readonly redis: RedisClient;
  readonly followUp?: FollowUp;
  readonly logger: Logger;
}

const SIGNAL = z.strictObject({
  serverId: z.string().min(1).max(100),
  clientName: z.string().regex(/^[\x21-\x7e]{1,100}$/, 'printable ASCII, up to 100 characters'),
  event: z.enum(['session-started', 'auth-failed']),
  at: z.iso.datetime({ offset: true }),
  cause: z
    .string()
    .regex(/^[\x20-\x7e]{1,200}$/, 'printable ASCII, up to 200 characters')
    .optional(),
});

/** A signature is remembered twice as long as a timestamp is accepted: past that, the timestamp refuses it. */
const SEEN_TTL_S = 2 * SIGNATURE_TOLERANCE_S;

export function dmSessionRoutes(deps: DmSessionDeps): Router {
  const r = Router();
  r.post('/dm/sessions', raw({ type: () => true, limit: '4kb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const signature = req.get(SIGNATURE_HEADER);
    const signed = verifyBody(deps.secret, { timestamp: req.get(TIMESTAMP_HEADER), signature }, body);
    if (!signed || !signature)
      throw new BootlineError('SIGNATURE_INVALID', 'signature or timestamp missing, wrong or outside ±300 s');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new BootlineError('BAD_REQUEST', 'body is not JSON');
    }
    const signal = SIGNAL.safeParse(parsed);
    if (!signal.success)
      throw new BootlineError(
        'BAD_REQUEST',
        signal.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const s = signal.data;
    if (s.serverId !== deps.serverId) throw new BootlineError('BAD_REQUEST', `serverId is not ${deps.serverId}`);
    const seen = KEYS.dmSignalSeen(signature);
    if ((await deps.redis.set(seen, '1', 'EX', SEEN_TTL_S, 'NX')) !== 'OK')
      throw new BootlineError('SIGNATURE_REPLAYED', 'this signed request was already accepted');
    try {
      const id = await deps.store.bootstrapForClient(s.clientName);
      const applied = id ? await deps.store.sessionEvent(id, s.event, s.at, s.cause ?? '') : null;
      if (!id || !applied) throw new BootlineError('BOOTSTRAP_NOT_FOUND', 'no bootstrap registered that client name');
      await deps.followUp?.(id);
      deps.logger.info(
        { bootstrapId: id, event: s.event, status: applied.status, changed: applied.changed, cause: s.cause },
        'dm session signal',
      );
      res.json({ bootstrapId: id, state: applied.status, changed: applied.changed });
    } catch (err) {
      // Nothing was applied for good: the DM server may send the same request again.
      await deps.redis.del(seen).catch(() => undefined);
      throw err;
    }
  });
  return r;
}
