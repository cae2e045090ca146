/**
 * The baseline of the pipeline benchmark: a BullMQ worker whose jobs do nothing, in its own
 * process like bootline's worker, with the same concurrency and connection settings.
 * argv: JSON { redisUrl, prefix, queue, concurrency }. Prints "ready" once it listens.
 */
import { Worker } from 'bullmq';
import { createRedis } from '../platform/redis/client.js';

const o = JSON.parse(process.argv[2] ?? '{}') as {
  redisUrl: string;
  prefix: string;
  queue: string;
  concurrency: number;
};
const w = new Worker(o.queue, async () => undefined, {
  prefix: o.prefix,
  connection: createRedis(o.redisUrl, 'patient'),
  concurrency: o.concurrency,
});
await w.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void w.close().then(() => process.exit(0));
});
