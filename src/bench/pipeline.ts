import { DEFAULT_SECURITY } from '../config/security.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { DevSmsc } from '../dev-smsc/server.js';
import { DmStandIn } from '../dm/stand-in.js';
import { silentLogger } from '../lib/logger.js';
import { createRedis } from '../lib/redis.js';
import { startPrivateRedis, type PrivateRedis } from '../main/dev-redis.js';
import { createReceiptHandler } from '../push/receipts.js';
import { SmppClient } from '../push/smpp-client.js';
import { BOOTSTRAP_JOB, BOOTSTRAP_JOB_OPTIONS, BOOTSTRAP_QUEUE, type BootstrapJobData } from '../queue/jobs.js';
import { BootstrapStore } from '../queue/store.js';
import { startPushWorkers } from '../queue/workers.js';

/**
 * `npm run bench -- pipeline`: complete pushes per second through one worker (DM
 * registration over HTTP, build, 3 submit_sm, receipts) against the dev SMSC, and BullMQ
 * no-op jobs per second on the same private Redis in the same run, same concurrency;
 * then a run with a TPS cap against an SMSC that throttles above that cap. Records (with
 * sealed PINs) exist before the clock starts; for both, the clock runs from one addBulk
 * until the worker has completed every job.
 */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 300);
const CONCURRENCY = 10;
const CAP_TPS = 100;
const CAP_PUSHES = 100;
const SECRET = 'bench-dm-register-secret-0123';
const KEY = Buffer.alloc(32, 9);
const logger = silentLogger();

const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! }; };
const round = (x: number) => Math.round(x * 10) / 10;

/** Starts the clock, runs `add` (one addBulk), resolves with the ms until `worker` completed `n` jobs. */
async function timeCompletions(worker: Worker, n: number, add: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const finished = new Promise<void>((resolve) => worker.on('completed', () => { if (++done === n) resolve(); }));
  const t0 = performance.now();
  await add();
  await finished;
  return performance.now() - t0;
}

async function noopRun(redis: PrivateRedis, r: number): Promise<number> {
  const conn = createRedis(redis.url, 'patient');
  const q = new Queue('noop', { prefix: `{bench-noop-${r}}`, connection: conn });
  const w = new Worker('noop', async () => undefined, { prefix: `{bench-noop-${r}}`, connection: createRedis(redis.url, 'patient'), concurrency: CONCURRENCY });
  await w.waitUntilReady();
  const ms = await timeCompletions(w, PUSHES, () => q.addBulk(Array.from({ length: PUSHES }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } }))));
  await w.close(); await q.close(); conn.disconnect();
  return (PUSHES / ms) * 1000;
}

/** One pipeline run on its own prefix: `n` bootstraps queued first, then timed until every job completed. */
async function pushRun(redis: PrivateRedis, smsc: DevSmsc, dm: DmStandIn, prefix: string, n: number, tps = 0): Promise<number> {
  const redisConn = createRedis(redis.url, 'patient');
  const store = new BootstrapStore(redisConn, KEY);
  const queue = new Queue<BootstrapJobData>(BOOTSTRAP_QUEUE, { prefix, connection: redisConn });
  for (let i = 0; i < n; i++) {
    const id = `bs-${prefix.slice(1, -1)}-${i}`;
    await store.create({ id, msisdn: `+4474006${String(i).padStart(5, '0')}`, flowId: 'bootstrap', pin: '123456' });
  }
  const client = new SmppClient({ target: { host: '127.0.0.1', port: smsc.port, tls: false, systemId: 'bootline', password: 'devpass' }, logger, tps, onReceipt: createReceiptHandler({ store, logger }) });
  client.start();
  await client.waitBound(5_000);
  const config = { dmServer: { url: 'https://dm.example.com/dm', id: 'com.example.dm' }, sms: { sourceAddr: 'BOOTLINE', dataCoding: 0x04 as const }, dataEncryptionKey: KEY, worker: { concurrency: CONCURRENCY, lockMs: 30_000, maxStalled: 3 }, security: DEFAULT_SECURITY };
  const workers = startPushWorkers({ redisUrl: redis.url, prefix, logger, config, dmTarget: { url: dm.url, secret: SECRET }, smsc: client, store, redis: redisConn });
  await workers.push.waitUntilReady();
  const jobs = Array.from({ length: n }, (_, i) => `bs-${prefix.slice(1, -1)}-${i}`)
    .map((id) => ({ name: BOOTSTRAP_JOB, data: { bootstrapId: id }, opts: { ...BOOTSTRAP_JOB_OPTIONS, jobId: id } }));
  const ms = await timeCompletions(workers.push, n, () => queue.addBulk(jobs));
  await workers.close(5_000); await client.close(); await queue.close(); redisConn.disconnect();
  return (n / ms) * 1000;
}

export async function benchPipeline(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-pipeline-'));
  const redis = await startPrivateRedis({ dir, durable: true });
  const smsc = new DevSmsc({ logger, receiptDelayMs: 20 });
  await smsc.listen(0);
  const dm = new DmStandIn({ secret: SECRET, logger });
  await dm.listen(0);
  try {
    const noop: number[] = [];
    const push: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      noop.push(await noopRun(redis, r));
      push.push(await pushRun(redis, smsc, dm, `{bench-push-${r}}`, PUSHES));
    }
    // TPS cap: the SMSC throttles above CAP_TPS per bind; the transport is capped at it.
    smsc.setFaults({ receiptDelayMs: 20, throttleTps: CAP_TPS });
    const from = smsc.received.length;
    const throttledBefore = smsc.counts.throttled;
    await pushRun(redis, smsc, dm, '{bench-cap}', CAP_PUSHES, CAP_TPS);
    const capped = smsc.received.slice(from);
    const seconds = (capped[capped.length - 1]!.at.getTime() - capped[0]!.at.getTime()) / 1000;
    const achieved = (capped.length - 1) / seconds;
    const [n, p] = [stats(noop), stats(push)];
    return {
      setup: `${PUSHES} pushes (DM registration over HTTP, CP build, 3 submit_sm, receipts) vs ${PUSHES} no-op jobs; 1 worker, concurrency ${CONCURRENCY}; private Redis with AOF everysec; dev SMSC and DM stand-in in this process; ${REPEATS} repeats`,
      pushesPerSecond: { min: round(p.min), median: round(p.median), max: round(p.max) },
      noopJobsPerSecond: { min: round(n.min), median: round(n.median), max: round(n.max) },
      ratioOfMedians: round((p.median / n.median) * 100) / 100,
      goalRatio: 0.5,
      tpsCap: { capPerBind: CAP_TPS, submits: capped.length, achievedTps: round(achieved), withinPercent: round(Math.abs(achieved / CAP_TPS - 1) * 100), throttleResponses: smsc.counts.throttled - throttledBefore },
    };
  } finally {
    await smsc.close(); await dm.close(); await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
