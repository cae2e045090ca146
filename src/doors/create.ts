import { Router } from 'express';
import type { Queue } from 'bullmq';
import type { RedisTarget } from '../platform/redis/client.js';
import { batchRoutes } from './batch/routes.js';
import { startBatchWorker, type BatchJobData, type BatchWorker } from './batch/runner.js';
import { BatchStore } from './batch/store.js';
import { setupRoutes } from './web/routes.js';
import type { SetupCatalogue } from './web/texts.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import type { DoorsConfig } from '../config/doors.js';
import type { ApiToken } from '../platform/http/auth.js';
import type { Logger } from '../platform/logger.js';
import type { RedisClient } from '../platform/redis/client.js';
import type { DestinationPolicy } from '../policy/destination.js';
import { AbuseGuard, rateLimitPepper, type AbuseLimits } from '../policy/limits.js';
import { NumberBlocks } from './blocks.js';
import type { IntakeDeps } from '../deliveries/intake.js';
import { deliveryIntake } from './delivery-intake.js';
import { admission, guardIntake } from './guard.js';
import { hotlineIntake } from './hotline.js';
import type { BootstrapIntake } from './intake.js';
import { networkEventRoutes } from './network/routes.js';
import { IdempotencyKeys } from './pos/idempotency.js';
import { posRoutes, type PosAnswer } from './pos/routes.js';

export interface DoorsDeps {
  /** The web process's (auto-pipelined) client. */
  readonly redis: RedisClient;
  /** The delivery lifecycle's intake the doors feed; the guard (destination policy, blocks) goes in front. */
  readonly deliveries: IntakeDeps & { readonly imsiLookup: boolean };
  /** For the status view of GET /api/bootstraps/:id. */
  readonly store: BootstrapStore;
  readonly tokens: readonly ApiToken[];
  /** DATA_ENCRYPTION_KEY: seals, and the keys rate limits and blocks are derived from. */
  readonly dataKey: Buffer;
  readonly limits: AbuseLimits;
  readonly destination: DestinationPolicy;
  readonly config: DoorsConfig;
  readonly logger: Logger;
  /** Where batch jobs are added (queue "batch"); the worker is started with startBatchWorker. */
  readonly batchQueue: Queue<BatchJobData>;
  /** The self-service page's words and phone policy, and the text SMS path for its codes; absent = no /setup. */
  readonly setup?: {
    readonly catalogue: SetupCatalogue;
    readonly sendText: (i: { id: string; to: string; text: string }) => Promise<void>;
  };
}

export interface Doors {
  /** The guarded intake every door (and the hotline) asks. */
  readonly intake: BootstrapIntake;
  readonly blocks: NumberBlocks;
  readonly guard: AbuseGuard;
  /** The voice engine's requestBootstrap service: the intake behind the same checks. */
  readonly hotline: ReturnType<typeof hotlineIntake>;
  /** Every door's routes: mount before the delivery API (GET /api/bootstraps/:id shows the origin). */
  readonly routes: Router;
  readonly batches: BatchStore;
  /** Runs batches (any number of processes may): each batch is a chain of short resumable steps. */
  startBatchWorker(o: { redis: string | RedisTarget; prefix: string; lockMs: number }): BatchWorker;
}

/** The doors other than the hotline, wired the one way (main/web.ts and the test stacks). */
export function createDoors(deps: DoorsDeps): Doors {
  const blocks = new NumberBlocks(deps.redis, deps.dataKey);
  const checks = { destination: deps.destination, blocks };
  const intake = guardIntake(deliveryIntake(deps.deliveries), checks);
  const guard = new AbuseGuard(deps.redis, deps.limits, rateLimitPepper(deps.dataKey));
  const routes = Router();
  const batches = new BatchStore(deps.redis, deps.dataKey);
  routes.use(
    posRoutes({
      tokens: deps.tokens,
      intake,
      guard,
      idempotency: new IdempotencyKeys<PosAnswer>(deps.redis, deps.dataKey),
      store: deps.store,
      logger: deps.logger,
      // A batch row's "by" is "<batch id> row <n>": its batch's owner may see it.
      ownerOf: async (o) => (o.door === 'batch' ? ((await batches.meta(o.by.split(' ')[0]!))?.owner ?? null) : o.by),
    }),
  );
  if (deps.setup && deps.config.setup.enabled)
    routes.use(
      setupRoutes({
        ...deps.setup,
        redis: deps.redis,
        dataKey: deps.dataKey,
        intake,
        guard,
        blocks,
        destination: deps.destination,
        config: deps.config.setup,
        logger: deps.logger,
      }),
    );
  routes.use(
    batchRoutes({
      tokens: deps.tokens,
      store: batches,
      queue: deps.batchQueue,
      intake,
      destination: deps.destination,
      logger: deps.logger,
    }),
  );
  const network = deps.config.network;
  if (network) {
    for (const [type, action] of network.policy)
      if (action.kind === 'bootstrap' && !intake.supports.secs.includes(action.sec))
        deps.logger.warn(
          { type, sec: action.sec, supported: intake.supports.secs },
          'network events of this type will be refused: this deployment cannot push that SEC method',
        );
    routes.use(networkEventRoutes({ ...network, redis: deps.redis, intake, blocks, guard, logger: deps.logger }));
  }
  return {
    intake,
    blocks,
    guard,
    hotline: hotlineIntake(deps.deliveries, admission(checks)),
    routes,
    batches,
    startBatchWorker: (o) =>
      startBatchWorker({
        ...o,
        deps: { store: batches, intake, guard, window: deps.config.batch.window, logger: deps.logger },
      }),
  };
}
