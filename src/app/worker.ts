import type { Config } from '../config/config.js';
import { deviceProfilesOf } from '../config/device-profiles.js';
import { createReceiptHandler } from '../deliveries/receipts/handler.js';
import { SmscRefIndex } from '../deliveries/receipts/smsc-ref-index.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { startPushWorkers, type PushWorkers } from '../deliveries/workers.js';
import { BootlineError } from '../errors.js';
import type { DmRegisterTarget } from '../dm/register-client.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createRedis, type RedisClient } from '../platform/redis/client.js';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import { SmppClient, type SmppClientOptions } from '../smpp/client.js';
import { startSmscHeartbeat } from '../smpp/heartbeat.js';
import { httpSubscriberLookup, type SubscriberLookup } from '../subscriber/lookup.js';
import { createLifecycle, type LifecycleParts } from './lifecycle.js';
import { closeRedis, runSteps, type ShutdownStep } from './shutdown.js';

export interface WorkerOverrides {
  /** The process's logger (main/worker.ts tags a forked copy's); default: one at LOG_LEVEL. */
  readonly logger?: Logger;
  /** Key prefix of the queues; default QUEUE_PREFIX (tests give each file its own). */
  readonly queuePrefix?: string;
  /** SMPP client settings the environment does not carry (reconnect back-off, throttle pause). */
  readonly transport?: Partial<Omit<SmppClientOptions, 'target' | 'logger' | 'onReceipt'>>;
  /** The IMSI source for NETWPIN / USERNETWPIN instead of SUBSCRIBER_LOOKUP_URL's. */
  readonly subscribers?: SubscriberLookup;
}

/** Everything a worker process runs, built one way for main/worker.ts, the tests and the bench. */
export interface WorkerApp {
  readonly config: Config;
  readonly logger: Logger;
  /** Records, receipts, heartbeats, the shared TPS limit: auto-pipelined, waits out outages. */
  readonly redis: RedisClient;
  readonly store: BootstrapStore;
  /** SMSC message ids this process's runs submitted, read first by its receipt handler. */
  readonly refs: SmscRefIndex;
  readonly smsc: SmppClient;
  readonly workers: PushWorkers;
  /** Follow-up of transitions (outbound events, enrolment deadlines) and its workers. */
  readonly lifecycle: LifecycleParts;
  /** Named steps, in order, that stop what this started (main logs each). */
  readonly shutdown: readonly ShutdownStep[];
  close(): Promise<void>;
}

/**
 * Composition root of the worker process. A worker has no socket of its own to listen on:
 * building it connects it — Redis, the SMPP binds to the SMSC — and starts its parts: the push,
 * dm-register and text-SMS workers, the SMSC heartbeat /readyz reads, the enrolment deadlines and
 * the outbound events (the contact centre's webhook among their subscribers).
 * Reads no environment (main/worker.ts does). DM_REGISTER_URL is required, and a subscriber
 * lookup when the device-profile table has a profile signing with NETWPIN or USERNETWPIN (checked
 * before connecting: such a push could not be signed).
 */
export function createWorker(config: Config, o: WorkerOverrides = {}): WorkerApp {
  const dmTarget = config.dmRegister;
  if (!dmTarget)
    throw new BootlineError('CONFIG_INVALID', 'DM_REGISTER_URL, DM_REGISTER_SECRET: required by the worker');
  deviceProfilesOf(config, Boolean(o.subscribers ?? config.security.subscriberLookup));
  const logger = o.logger ?? createLogger({ level: config.logLevel, name: 'worker' });
  const prefix = o.queuePrefix ?? QUEUE_PREFIX;
  // Auto-pipelining: commands of concurrent jobs and receipts issued in one tick share one write.
  const redis = createRedis(config, 'patient', { enableAutoPipelining: true });
  const store = new BootstrapStore(redis, config.dataEncryptionKey);
  const lifecycle = createLifecycle(config, { prefix, logger, store, redis, kind: 'patient', role: 'worker' });
  // One index per SMPP client: its push runs write it, its receipt handler reads it.
  const refs = new SmscRefIndex();
  const smsc = new SmppClient({
    target: config.smpp,
    logger,
    ...config.smppTransport,
    onReceipt: createReceiptHandler({ store, logger, refs, followUp: lifecycle.followUp }),
    ...o.transport,
  });
  smsc.start();
  const parts = { config, logger, redis, store, refs, smsc, lifecycle };
  return startRunning(parts, { dmTarget, prefix, subscribers: o.subscribers });
}

type Connected = Pick<WorkerApp, 'config' | 'logger' | 'redis' | 'store' | 'refs' | 'smsc' | 'lifecycle'>;

/** The parts that run on the connections: heartbeat, the three push workers, the lifecycle's workers. */
function startRunning(
  c: Connected,
  o: { dmTarget: DmRegisterTarget; prefix: string; subscribers: SubscriberLookup | undefined },
): WorkerApp {
  const { config, logger, redis, store, smsc } = c;
  const heartbeat = startSmscHeartbeat(redis, () => smsc.status());
  const lookup = config.security.subscriberLookup;
  const subscribers = o.subscribers ?? (lookup ? httpSubscriberLookup(lookup) : undefined);
  const workers = startPushWorkers({
    redisUrl: config,
    prefix: o.prefix,
    logger,
    config,
    dmTarget: o.dmTarget,
    smsc,
    store,
    redis,
    refs: c.refs,
    followUp: c.lifecycle.followUp,
    ...(subscribers ? { subscribers } : {}),
  });
  c.lifecycle.startWorkers();
  const shutdown: ShutdownStep[] = [
    // Draining gets most of the budget (then it is forced: active jobs' locks lapse and the
    // stalled check re-runs them elsewhere), so the SMPP unbind and Redis quit still happen.
    ['worker', () => workers.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.6)))],
    ['heartbeat', () => heartbeat.stop()],
    ['lifecycle', () => c.lifecycle.close(Math.max(500, Math.floor(config.shutdownTimeoutMs * 0.2)))],
    ['smpp', () => smsc.close()],
    ['redis', () => closeRedis(redis)],
  ];
  return { ...c, workers, shutdown, close: () => runSteps(shutdown) };
}
