import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { RedisClient as Redis } from '../platform/redis/client.js';
import type { ApiToken } from '../config/config.js';
import type { FlowAdmin } from './flows/service.js';
import { flowRoutes } from './api/flows.js';
import { simRoutes } from './api/sim.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { TextSmsJobData } from '../deliveries/text-sms.js';
import type { FlowRegistry } from '../voice/registry.js';
import { consoleRoutes } from './routes.js';
import { SessionCookies } from './session.js';
import { SimCalls } from './sim.js';
import { SimCallStore } from './sim-store.js';
import { LoginThrottle } from './throttle.js';
import { TrustedProxies } from '../platform/http/client-address.js';
import type { Logger } from '../platform/logger.js';

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
  readonly smsQueue?: Queue<TextSmsJobData>;
  readonly dashboardPath?: string;
  /** This process's own address, for simulated calls (loopback HTTP into /voice); read when a call starts. */
  readonly selfUrl: () => string;
}

/** Mounts /console, /api/flows, /api/sim and /api/openapi.json on the app (before the other /api routes). */
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
  });
  app.use('/api', flowRoutes({ admin: deps.admin, cookies }), simRoutes({ sim, cookies }));
  app.use(
    consoleRoutes({
      admin: deps.admin,
      cookies,
      dashboardPath: deps.dashboardPath ?? '/admin/queues',
      throttle: new LoginThrottle(deps.redis, deps.secret, logger),
      trustedProxies: new TrustedProxies(voice.security?.trustedProxies ?? []),
      recent: {
        redis: deps.redis,
        ...(deps.store ? { store: deps.store } : {}),
        ...(deps.bootstrapQueue ? { bootstrapQueue: deps.bootstrapQueue } : {}),
      },
    }),
  );
}
