import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import type { ApiToken } from '../config/config.js';
import type { FlowAdmin } from './flows/service.js';
import { flowRoutes } from './api/flows.js';
import { simRoutes } from './api/sim.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { EventJobData, TextSmsJobData } from '../queues/catalogue.js';
import type { OpsDeps } from './ops-routes.js';
import type { FlowRegistry } from '../voice/registry.js';
import { consoleRoutes } from './routes.js';
import { SessionCookies } from './session.js';
import { SimCalls } from './sim.js';
import { HandsetControl } from './simulator/handset.js';
import { SimCallStore } from './sim-store.js';
import { callRoutes } from './api/calls.js';
import { FlowTests } from './flowtests/service.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import { TraceStore } from '../voice/trace/store.js';
import { DEFAULT_TRACE_DAYS } from '../voice/create.js';
import { LoginThrottle } from './throttle.js';
import { TrustedProxies } from '../platform/http/client-address.js';

/** What the console and the flow admin API need; main/web.ts and the tests wire it alike. */
export interface ConsoleDeps {
  readonly admin: FlowAdmin;
  readonly registry: FlowRegistry;
  readonly tokens: readonly ApiToken[];
  /** DATA_ENCRYPTION_KEY: session cookies are signed with a key derived from it; SMS texts are opened with it. */
  readonly secret: Buffer;
  readonly redis: Redis;
  readonly store?: BootstrapStore;
  readonly bootstrapQueue?: Queue;
  /** The outbound events queue: the console lists its dead letters and sends them again. */
  readonly eventsQueue?: Queue<EventJobData>;
  /** The bulk API's batches (doors) and the intake that names a row's bootstrap. */
  readonly batches?: OpsDeps['batches'];
  readonly smsQueue?: Queue<TextSmsJobData>;
  readonly dashboardPath?: string;
  /** This process's own address, for simulated calls (loopback HTTP into /voice); read when a call starts. */
  readonly selfUrl: () => string;
  /** HANDSET_CONTROL_URL: simulated handsets the call simulator types the PIN into (the dev stack). */
  readonly handsetUrl?: string;
  /** CALL_TRACE_DAYS: the window the calls list looks back over (the traces expire on their own). */
  readonly traceDays?: number;
  readonly logger?: Logger;
}

/** Mounts /console, /api/flows and /api/sim on the app (before the other /api routes). */
export function mountConsole(
  app: Express,
  deps: ConsoleDeps,
  voice: {
    publicBaseUrl: string;
    twilioAuthToken: string;
    security?: { readonly trustedProxies?: readonly string[] };
  },
  logger?: Logger,
): void {
  const cookies = new SessionCookies(deps.secret, deps.tokens);
  const sim = new SimCalls({
    admin: deps.admin,
    registry: deps.registry,
    selfUrl: deps.selfUrl,
    publicBaseUrl: voice.publicBaseUrl,
    authToken: voice.twilioAuthToken,
    ...(deps.store ? { store: deps.store } : {}),
    ...(deps.smsQueue ? { smsQueue: deps.smsQueue, sealKey: deps.secret } : {}),
    calls: new SimCallStore(deps.redis, deps.secret),
    ...(deps.handsetUrl ? { handsets: new HandsetControl(deps.handsetUrl, deps.logger) } : {}),
  });
  const tests = new FlowTests({
    admin: deps.admin,
    registry: deps.registry,
    redis: deps.redis,
    dataKey: deps.secret,
    flowsDir: deps.admin.store.flowsDir,
    logger: deps.logger ?? silentLogger(),
    ...(deps.traceDays ? { traceDays: deps.traceDays } : {}),
  });
  const traces = new TraceStore(deps.redis, deps.secret, (deps.traceDays || DEFAULT_TRACE_DAYS) * 86_400);
  app.use(
    '/api',
    flowRoutes({ admin: deps.admin, cookies, tests }),
    simRoutes({ sim, cookies }),
    callRoutes({ traces, admin: deps.admin, registry: deps.registry, cookies }),
  );
  app.use(
    consoleRoutes({
      admin: deps.admin,
      cookies,
      dashboardPath: deps.dashboardPath ?? '/admin/queues',
      traces,
      throttle: new LoginThrottle(deps.redis, deps.secret, logger),
      trustedProxies: new TrustedProxies(voice.security?.trustedProxies ?? []),
      recent: {
        redis: deps.redis,
        ...(deps.store ? { store: deps.store } : {}),
        ...(deps.bootstrapQueue ? { bootstrapQueue: deps.bootstrapQueue } : {}),
      },
      ops: {
        ...(deps.store ? { store: deps.store } : {}),
        ...(deps.eventsQueue ? { eventsQueue: deps.eventsQueue } : {}),
        ...(deps.batches ? { batches: deps.batches } : {}),
      },
    }),
  );
}
