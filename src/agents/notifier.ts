import { Worker, type Queue } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import { createRedis, type RedisTarget } from '../platform/redis/client.js';
import type { BootstrapStore } from '../deliveries/store/store.js';
import { closeWorker } from '../queues/close.js';
import { addJob, openQueue, QUEUES, type AgentWebhookJobData } from '../queues/catalogue.js';
import type { TransferStore } from './transfers.js';
import type { WatchList } from './watch-list.js';
import { createAgentWebhookProcessor, webhookJobId } from './webhook.js';

export interface AgentNotifierOptions {
  readonly redisUrl: string | RedisTarget;
  readonly prefix: string;
  readonly webhook: { readonly url: string; readonly secret: string };
  readonly transfers: TransferStore;
  readonly watch: WatchList;
  readonly store: BootstrapStore;
  readonly logger: Logger;
  /** How often bootstraps agents started are checked for a new state. */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Tells the contact centre when a bootstrap an agent started changes state. The push
 * pipeline is not touched: a poller compares each watched bootstrap's (round, status) with
 * the last one notified and queues a webhook job per change; BullMQ retries delivery.
 * Runs in the worker process; several notifiers may run, each change is queued once.
 */
export class AgentNotifier {
  private readonly conns;
  readonly queue: Queue<AgentWebhookJobData>;
  readonly worker: Worker<AgentWebhookJobData>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly o: AgentNotifierOptions) {
    this.conns = [0, 1].map((i) => createRedis(o.redisUrl, 'patient', { connectionName: `bootline-agent-hook-${i}` }));
    this.queue = openQueue(QUEUES.agentWebhook, { prefix: o.prefix, connection: this.conns[0]!, logger: o.logger });
    this.worker = new Worker<AgentWebhookJobData>(
      QUEUES.agentWebhook.name,
      createAgentWebhookProcessor({
        ...o.webhook,
        transfers: o.transfers,
        store: o.store,
        logger: o.logger,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
      { prefix: o.prefix, connection: this.conns[1]!, concurrency: 5 },
    );
    this.worker.on('error', (err) => o.logger.warn({ err: err.message }, 'agent webhook worker error'));
    this.worker.on('failed', (job, err) =>
      o.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'agent webhook attempt failed'),
    );
  }

  start(): this {
    this.timer = setInterval(() => {
      this.running = this.running
        .then(async () => {
          await this.tick();
        })
        .catch((err: Error) => this.o.logger.warn({ err: err.message }, 'agent notifier tick failed'));
    }, this.o.pollMs ?? 1_000);
    return this;
  }

  /** One pass over the watched transfers; returns how many changes it queued. */
  async tick(): Promise<number> {
    let queued = 0;
    for (const id of await this.o.watch.active()) {
      const t = await this.o.transfers.get(id);
      const bs = t?.bootstrapId ? await this.o.store.get(t.bootstrapId) : null;
      if (!bs || !(await this.o.watch.changed(id, `${bs.round}:${bs.status}`))) continue;
      const data = { transferId: id, status: bs.status, round: bs.round };
      await addJob(this.queue, QUEUES.agentWebhook, data, webhookJobId(data));
      queued++;
    }
    return queued;
  }

  async close(ms = 2_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await closeWorker(this.worker, ms);
    await this.queue.close();
    for (const c of this.conns) c.disconnect();
  }
}
