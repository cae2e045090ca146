import { Worker } from 'bullmq';
import type { Config } from '../config/config.js';
import type { DmRegisterTarget } from '../dm/register-client.js';
import type { Logger } from '../platform/logger.js';
import { createRedis, type RedisClient, type RedisTarget } from '../platform/redis/client.js';
import { assertDestination } from '../policy/destination.js';
import { closeWorker } from '../queues/close.js';
import {
  openQueue,
  pushWorkerOptions,
  QUEUES,
  type BootstrapJobData,
  type DmRegisterJobData,
  type TextSmsJobData,
} from '../queues/catalogue.js';
import type { SmppClient } from '../smpp/client.js';
import { GlobalTpsLimit } from '../smpp/global-limit.js';
import type { SubscriberLookup } from '../subscriber/lookup.js';
import type { FollowUp } from './follow-up.js';
import type { SmscRefIndex } from './receipts/smsc-ref-index.js';
import { createBootstrapProcessor } from './run/processor.js';
import { createDmRegisterProcessor } from './run/register-job.js';
import type { BootstrapStore } from './store/store.js';
import { createTextSmsProcessor } from './text-sms.js';

export interface PushWorkersOptions {
  /** A URL, or the config (a Redis Cluster when REDIS_CLUSTER_NODES is set). */
  readonly redisUrl: string | RedisTarget;
  readonly prefix: string;
  readonly logger: Logger;
  readonly config: Pick<Config, 'dmServer' | 'sms' | 'dataEncryptionKey' | 'worker' | 'security'> &
    Partial<Pick<Config, 'smppTotalTps'>>;
  readonly dmTarget: DmRegisterTarget;
  readonly smsc: SmppClient;
  readonly store: BootstrapStore;
  /** For the text-SMS part records and the shared TPS limit. */
  readonly redis: RedisClient;
  /** Where push runs remember SMSC message ids; the receipt handler of the same SMPP client reads it. */
  readonly refs: SmscRefIndex;
  /** IMSI source for NETWPIN / USERNETWPIN pushes. */
  readonly subscribers?: SubscriberLookup;
  /** Outbound events and enrolment deadlines of the transitions runs make (follow-up.ts). */
  readonly followUp?: FollowUp;
}

export interface PushWorkers {
  readonly push: Worker<BootstrapJobData>;
  readonly dm: Worker<DmRegisterJobData>;
  readonly text: Worker<TextSmsJobData>;
  /** Drains all three (each bounded by `ms`, then forced) and closes their connections. */
  close(ms: number): Promise<void>;
}

/**
 * Owns the worker side of deliveries: the three workers of the push pipeline (push,
 * dm-register, text SMS), wired the one way, with the last-hop checks every submit passes.
 */
export function startPushWorkers(o: PushWorkersOptions): PushWorkers {
  const conns: RedisClient[] = [];
  const conn = (name: string) => {
    const c = createRedis(o.redisUrl, 'patient', { connectionName: `bootline-${name}` });
    conns.push(c);
    return c;
  };
  const opts = { prefix: o.prefix, ...pushWorkerOptions(o.config.worker) };
  const dmQueue = openQueue(QUEUES.dmRegister, { prefix: o.prefix, connection: conn('dm-queue'), logger: o.logger });
  // Every submit of this process (pushes and texts, any bind) first takes a slot of the
  // SMSC's total TPS, shared with every other worker process through Redis; and the last hop
  // checks the destination again, whatever queued the message (DESTINATION_REFUSED is permanent).
  const tps = new GlobalTpsLimit(o.redis, { tps: o.config.smppTotalTps ?? 0 });
  // `checked` is one job's memo: its later segments to the same number skip libphonenumber's
  // parse (a profiled share of a push's CPU), never the check itself.
  const submit = async (f: Parameters<SmppClient['submit']>[0], checked?: Set<string>) => {
    const to = `+${f.destination_addr}`;
    if (!checked?.has(to)) {
      assertDestination(o.config.security.destination, to);
      checked?.add(to);
    }
    await tps.take();
    return o.smsc.submit(f);
  };
  const push: Worker<BootstrapJobData> = new Worker<BootstrapJobData>(
    QUEUES.bootstrap.name,
    createBootstrapProcessor({
      config: o.config,
      store: o.store,
      logger: o.logger,
      submit,
      ...(o.subscribers ? { subscribers: o.subscribers } : {}),
      rateLimit: (ms) => push.rateLimit(ms),
      dm: { target: o.dmTarget, queue: dmQueue },
      refs: o.refs,
      submitLeaseMs: o.config.worker.lockMs / 2,
      ...(o.followUp ? { followUp: o.followUp } : {}),
    }),
    { ...opts, connection: conn('worker') },
  );
  const dm = new Worker<DmRegisterJobData>(
    QUEUES.dmRegister.name,
    createDmRegisterProcessor({
      store: o.store,
      target: o.dmTarget,
      serverId: o.config.dmServer.id,
      logger: o.logger,
      ...(o.followUp ? { followUp: o.followUp } : {}),
    }),
    { ...opts, connection: conn('worker-dm') },
  );
  const text: Worker<TextSmsJobData> = new Worker<TextSmsJobData>(
    QUEUES.textSms.name,
    createTextSmsProcessor({
      sealKey: o.config.dataEncryptionKey,
      sourceAddr: o.config.sms.sourceAddr,
      submit,
      logger: o.logger,
      redis: o.redis,
      rateLimit: (ms) => text.rateLimit(ms),
    }),
    { ...opts, connection: conn('worker-sms') },
  );
  for (const [name, w] of [
    ['push', push],
    ['dm', dm],
    ['sms', text],
  ] as const) {
    w.on('error', (err) => o.logger.warn({ worker: name, err: err.message }, 'worker error'));
    w.on('failed', (job, err) =>
      o.logger.warn(
        { worker: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        'job attempt failed',
      ),
    );
  }
  return {
    push,
    dm,
    text,
    close: async (ms) => {
      await Promise.all([push, dm, text].map((w) => closeWorker(w, ms)));
      await dmQueue.close();
      for (const c of conns) c.disconnect();
    },
  };
}
