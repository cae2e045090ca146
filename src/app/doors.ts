import type { Queue } from 'bullmq';
import type { Config } from '../config/config.js';
import { DEFAULT_DOORS } from '../config/doors.js';
import type { IntakeDeps } from '../deliveries/intake.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { enqueueTextSms } from '../deliveries/text-sms.js';
import { createDoors, type Doors } from '../doors/create.js';
import type { BatchWorker } from '../doors/batch/runner.js';
import type { Logger } from '../platform/logger.js';
import type { RedisClient } from '../platform/redis/client.js';
import type { BatchJobData, BootstrapJobData, TextSmsJobData } from '../queues/catalogue.js';
import type { FlowRegistry } from '../voice/registry.js';
import { flowCatalogue } from './setup-catalogue.js';

/**
 * The ways in other than the hotline (self-service page, point of sale and bulk API, network
 * events), all asking the delivery lifecycle's intake behind one guard — the hotline too
 * (`doors.hotline` is the voice engine's requestBootstrap). The self-service page takes its
 * words from the default flow.
 */
export function webDoors(
  config: Config,
  d: {
    redis: RedisClient;
    store: BootstrapStore;
    flows: FlowRegistry;
    logger: Logger;
    queues: { bootstrap: Queue<BootstrapJobData>; textSms: Queue<TextSmsJobData>; batch: Queue<BatchJobData> };
    intake: IntakeDeps;
  },
): Doors {
  const sealKey = config.dataEncryptionKey;
  return createDoors({
    redis: d.redis,
    deliveries: { ...d.intake, imsiLookup: Boolean(config.security.subscriberLookup) },
    store: d.store,
    tokens: config.apiTokens,
    dataKey: sealKey,
    limits: config.security.limits,
    destination: config.security.destination,
    config: config.doors ?? DEFAULT_DOORS,
    logger: d.logger,
    batchQueue: d.queues.batch,
    setup: {
      catalogue: flowCatalogue(d.flows, 'bootstrap'),
      sendText: (i) => enqueueTextSms({ queue: d.queues.textSms }, { ...i, sealKey }),
    },
  });
}

/** Batches run in the web processes (any number of them): short resumable steps, state in Redis. */
export function startBatches(config: Config, doors: Doors, prefix: string, lockMs?: number): BatchWorker {
  return doors.startBatchWorker({ redis: config, prefix, lockMs: lockMs ?? config.worker.lockMs });
}
