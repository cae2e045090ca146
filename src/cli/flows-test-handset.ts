import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type ErrorRequestHandler } from 'express';
import { bootstrapIdForCall } from '../deliveries/ids.js';
import { dmSessionRoutes } from '../deliveries/http/dm-sessions.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { DmStandIn } from '../dev/dm-server.js';
import { HandsetSimulator } from '../dev/handset/simulator.js';
import type { DevSmsc } from '../dev/smsc/server.js';
import { BootlineError } from '../errors.js';
import { closeServer, listenLoopback } from '../platform/http/loopback.js';
import type { Logger } from '../platform/logger.js';
import type { RedisClient } from '../platform/redis/client.js';
import type { HandsetAnswer } from '../console/flowtests/spec.js';
import { pinHeard } from '../console/simulator/handset.js';

/** The DM side of the CLI's flow-test world: the DM stand-in, the handsets, bootline's signal route. */
export interface TestHandsets {
  readonly dm: DmStandIn;
  /** A webhook's words: a PIN in them is typed into the handset the call's push went to. */
  heard(callSid: string, says: readonly string[], answer: HandsetAnswer): void;
  close(): Promise<void>;
}

/** How long the caller's handset waits for its push after the PIN was said. */
const PUSH_WAIT_MS = 20_000;

/**
 * Real handsets behind the dev SMSC for flow tests: they reassemble the push, check its MAC
 * with the PIN the caller heard and open a SyncML DM session at the DM stand-in, which posts
 * its signal to bootline's own route (POST /api/dm/sessions, signed). A case's handset
 * answer picks what the handset does: `enrolled` types the PIN, `auth-failed` types it into a
 * handset that presents a wrong client secret, `not-enrolled` and `untracked` leave the phone
 * alone (the worker's enrolment window then makes the push not-enrolled).
 */
export async function startTestHandsets(o: {
  smsc: DevSmsc;
  store: BootstrapStore;
  redis: RedisClient;
  secret: string;
  serverId: string;
  dmServerUrl: string;
  logger: Logger;
}): Promise<TestHandsets> {
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(err instanceof BootlineError ? err.http : 500).json({ error: { message: String(err.message) } });
  };
  const app = express()
    .use(
      '/api',
      dmSessionRoutes({ secret: o.secret, serverId: o.serverId, store: o.store, redis: o.redis, logger: o.logger }),
    )
    .use(onError);
  const server: Server = createServer(app);
  const port = await listenLoopback(server, 0);
  const dm = new DmStandIn({
    secret: o.secret,
    logger: o.logger,
    sessionPath: new URL(o.dmServerUrl).pathname,
    serverId: o.serverId,
    bootlineUrl: `http://127.0.0.1:${port}`,
  });
  await dm.listen(0);
  const handsets = new HandsetSimulator({
    logger: o.logger,
    imsiOf: () => undefined,
    hosts: { [new URL(o.dmServerUrl).hostname]: dm.hostPort },
  });
  const detach = handsets.attach(o.smsc);
  const typing = new Set<Promise<unknown>>();
  const typed = new Set<string>();
  /** The number the call's push goes to: the enqueue step follows the PIN in the same webhook. */
  const numberOf = async (callSid: string): Promise<string | null> => {
    for (let i = 0; i < 200; i++) {
      const b = await o.store.brief(bootstrapIdForCall(callSid));
      if (b) return b.msisdn;
      await sleep(25);
    }
    return null;
  };
  return {
    dm,
    heard(callSid, says, answer) {
      const pin = pinHeard(says);
      // Typed once per call (a PIN said again is the same PIN), and only by a handset that answers.
      if (!pin || (answer !== 'enrolled' && answer !== 'auth-failed') || typed.has(callSid)) return;
      typed.add(callSid);
      const t = numberOf(callSid).then(async (msisdn) => {
        if (!msisdn) return;
        handsets.phone(msisdn).faults = { wrongSecret: answer === 'auth-failed' };
        await handsets.enterPin(pin, { msisdn, waitMs: PUSH_WAIT_MS });
        await dm.signalsIdle();
      });
      typing.add(t);
      void t.catch(() => undefined).finally(() => typing.delete(t));
    },
    async close() {
      await Promise.allSettled([...typing]);
      detach();
      await dm.close();
      server.closeAllConnections();
      await closeServer(server);
    },
  };
}
