import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createWorker, type WorkerApp } from '../../src/app/worker.js';
import type { Config } from '../../src/config/config.js';
import { requestBootstrap } from '../../src/deliveries/intake.js';
import { bootstrapIdForCall } from '../../src/deliveries/ids.js';
import type { BootstrapStore } from '../../src/deliveries/store/store.js';
import type { PushWorkers } from '../../src/deliveries/workers.js';
import { DmStandIn } from '../../src/dev/dm-server.js';
import { DevSmsc, type DevSmscOptions } from '../../src/dev/smsc/server.js';
import { silentLogger, type Logger } from '../../src/platform/logger.js';
import type { BootstrapJobData } from '../../src/queues/catalogue.js';
import type { SmppClient, SmppClientOptions } from '../../src/smpp/client.js';
import type { SubscriberLookup } from '../../src/subscriber/lookup.js';
import { splitUdh } from './push-bytes.js';
import { testConfig } from './stack.js';

export const DM_SECRET = 'test-dm-register-secret-0123';

export interface WorkerStack {
  readonly smsc: DevSmsc;
  readonly dm: DmStandIn;
  readonly client: SmppClient;
  readonly worker: Worker<BootstrapJobData>;
  readonly workers: PushWorkers;
  /** Everything createWorker built, for tests that reach into a part. */
  readonly app: WorkerApp;
  readonly store: BootstrapStore;
  readonly redis: Redis;
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * The worker process as main/worker.ts builds it (createWorker over loadConfig), with a dev
 * SMSC and a DM stand-in on loopback. SMPP reconnects and throttle pauses are shortened.
 */
export async function workerStack(
  redisUrl: string,
  opts: {
    prefix: string;
    smsc?: Partial<DevSmscOptions>;
    logger?: Logger;
    transport?: Partial<SmppClientOptions>;
    worker?: Partial<Config['worker']>;
    /** Settings over the test config (e.g. security.pushSecurity) and the IMSI source they need. */
    config?: Partial<Config>;
    subscribers?: SubscriberLookup;
  },
): Promise<WorkerStack> {
  const logger = opts.logger ?? silentLogger();
  const smsc = new DevSmsc({ logger, receiptDelayMs: 20, ...opts.smsc });
  const port = await smsc.listen(0);
  const dm = new DmStandIn({ secret: DM_SECRET, logger });
  await dm.listen(0);
  const base = testConfig(redisUrl, `smpp://${smsc.systemId}:${smsc.password}@127.0.0.1:${port}`, {
    DM_REGISTER_URL: dm.url,
    DM_REGISTER_SECRET: DM_SECRET,
  });
  const config: Config = { ...base, ...opts.config, worker: { ...base.worker, ...opts.worker } };
  const { target: _t, logger: _l, onReceipt: _r, ...transport } = opts.transport ?? {};
  const app = createWorker(config, {
    logger,
    queuePrefix: opts.prefix,
    transport: { reconnectMinMs: 20, throttlePauseMs: 100, ...transport },
    ...(opts.subscribers ? { subscribers: opts.subscribers } : {}),
  });
  return {
    smsc,
    dm,
    client: app.smsc,
    worker: app.workers.push,
    workers: app.workers,
    app,
    store: app.store,
    redis: app.redis as Redis,
    config,
    close: async () => {
      await app.close();
      await smsc.close();
      await dm.close();
    },
  };
}

/** Queues a push the way the web does (record with sealed PIN, then the job) for each number. */
export async function enqueuePushes(
  queue: Queue<BootstrapJobData>,
  store: BootstrapStore,
  msisdns: string[],
  tag = 'p',
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, msisdn] of msisdns.entries()) {
    const { id } = await requestBootstrap(
      { queue, store, defaults: { profile: 'cp', pinLength: 6 } },
      {
        id: bootstrapIdForCall(`CA${tag}${i}`),
        msisdn,
        origin: { door: 'hotline', by: 'test' },
        flowId: 'bootstrap',
        pin: '123456',
        // Records without a SEC method follow the worker's PUSH_SECURITY, as before the intake.
      },
    );
    ids.push(id);
  }
  return ids;
}

/** SMSC message ids of the binary segments it accepted, in order, keyed "destination/ref/seq/total". */
export function submitsBySegment(smsc: DevSmsc): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const r of smsc.received.filter((x) => x.dataCoding === 0x04)) {
    const c = splitUdh(r.shortMessage).concat;
    const key = `${r.destinationAddr}/${c?.ref}/${c?.seq}/${c?.total}`;
    seen.set(key, [...(seen.get(key) ?? []), r.messageId]);
  }
  return seen;
}

/** How many times the SMSC accepted each segment; above 1 is a duplicate. */
export function acceptedSegments(smsc: DevSmsc): Map<string, number> {
  return new Map([...submitsBySegment(smsc)].map(([k, ids]) => [k, ids.length]));
}

/** Numbers whose every segment (1..total) the SMSC accepted. */
export function completeNumbers(smsc: DevSmsc): Set<string> {
  const parts = new Map<string, { total: number; seqs: Set<number> }>();
  for (const key of acceptedSegments(smsc).keys()) {
    const [dest, , seq, total] = key.split('/');
    const p = parts.get(dest!) ?? { total: Number(total), seqs: new Set<number>() };
    p.seqs.add(Number(seq));
    parts.set(dest!, p);
  }
  return new Set([...parts].filter(([, p]) => p.seqs.size === p.total).map(([d]) => d));
}
