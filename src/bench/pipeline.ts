import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { buildPush, segmentPush, type CpBootstrapModel } from '../codec/index.js';
import { createRedis } from '../platform/redis/client.js';
import { KEYS, QUEUE_PREFIX } from '../platform/redis/keys.js';
import { startPrivateRedis, type PrivateRedis } from '../dev/redis.js';
import { readSmscHealth } from '../smpp/heartbeat.js';
import { QUEUES, type BootstrapJobData } from '../queues/catalogue.js';
import { BootstrapStore } from '../deliveries/store/store.js';
import { procfileNodeArgs } from '../main/procfile.js';
import { cpuMs, startBootline, startPeers, stats, type BootlineProc, type Peers } from './procs.js';

/**
 * `npm run bench -- pipeline`: complete pushes per second through bootline's worker process
 * (DM registration over HTTP, CP build, 3 submit_sm, receipts, Redis records), against the
 * floor: a minimal client that does only the wire work of a push (one HTTP POST to the same DM
 * stand-in, three submit_sm and three deliver_sm with their responses on the same dev SMSC, no
 * queue, no Redis, no checks; floor-client.ts), with the same concurrency and window, alternating
 * in the same run. Both are charged their own process's CPU per push. The dev SMSC and the DM
 * stand-in run in a third process. Records (with sealed PINs) exist before the clock starts; the
 * clock runs from one addBulk until the queue counts every job completed. Then a worker capped
 * at a TPS below what it reached uncapped, against an SMSC that throttles above the cap:
 * achieved rate and throttles.
 */
const here = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const WINDOW = Number(process.env.BENCH_SMPP_WINDOW ?? 10);
const SECRET = randomBytes(16).toString('hex');
const KEY = randomBytes(32);

type Counter = () => Promise<number>;

/** ms from `add()` until `completed()` has grown by `n`. */
async function timeCompletions(n: number, completed: Counter, add: () => Promise<unknown>): Promise<number> {
  const before = await completed();
  const t0 = performance.now();
  await add();
  const end = Date.now() + 120_000;
  while ((await completed()) - before < n) {
    if (Date.now() > end) throw new Error(`only ${(await completed()) - before}/${n} jobs completed in 120 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

/** The floor client, bound and ready; `run()` times one batch of PUSHES pushes. */
function startFloor(peers: Peers): Promise<{ pid: number; run(): Promise<number>; stop(): Promise<void> }> {
  const built = buildPush({ profile: 'cp', model: FLOOR_MODEL }, { method: 'USERPIN', pin: '123456' }, { tid: 1 });
  const segments = segmentPush(built.wsp, { reference: 7 }).map((s) => Buffer.from(s.shortMessage).toString('hex'));
  const opts = {
    smscPort: peers.smscPort,
    dmUrl: peers.dmUrl,
    secret: SECRET,
    pushes: PUSHES,
    concurrency: CONCURRENCY,
  };
  const child = spawn(
    process.execPath,
    [join(here, 'floor-client.js'), JSON.stringify({ ...opts, window: WINDOW, segments })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`floor client exited ${c}`)));
    void next().then(() =>
      resolve({
        pid: child.pid!,
        run: async () => {
          const answer = next();
          child.stdin!.write('go\n');
          return (JSON.parse(await answer) as { ms: number }).ms;
        },
        stop: () => {
          child.stdin!.end();
          return exited;
        },
      }),
    );
  });
}

/** What the floor sends: a CP USERPIN push the size of bootline's (three segments). */
const FLOOR_MODEL: CpBootstrapModel = {
  providerId: 'com.example.dm',
  name: 'com.example.dm',
  addr: 'https://dm.example.com/dm',
  appAuth: [
    {
      level: 'APPSRV',
      type: 'DIGEST',
      name: 'bootline-0123456789abcdef',
      secret: 'x'.repeat(24),
      data: 'y'.repeat(24),
    },
    { level: 'CLIENT', type: 'DIGEST', name: 'com.example.dm', secret: 'z'.repeat(24), data: 'w'.repeat(24) },
  ],
};

function workerEnv(redis: PrivateRedis, peers: Peers, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    SMPP_URL: `smpp://bootline:devpass@127.0.0.1:${peers.smscPort}`,
    TWILIO_AUTH_TOKEN: 'bench-token-0123',
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: KEY.toString('hex'),
    DM_REGISTER_URL: peers.dmUrl,
    DM_REGISTER_SECRET: SECRET,
    WORKER_CONCURRENCY: String(CONCURRENCY),
    SMPP_WINDOW: String(WINDOW),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts bootline's worker and waits until its heartbeat reports an SMPP bind. */
async function startWorker(
  redis: PrivateRedis,
  peers: Peers,
  conn: ReturnType<typeof createRedis>,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BootlineProc> {
  await conn.del(KEYS.workers()); // no heartbeat of an earlier worker
  // Started as deployed: with the node flags of the Procfile's worker line.
  const w = await startBootline('worker', workerEnv(redis, peers, extra), null, [
    ...procfileNodeArgs('worker'),
    ...nodeArgs,
  ]);
  for (let i = 0; !(await readSmscHealth(conn)).ok; i++) {
    if (i > 400 || w.child.exitCode !== null) throw new Error(`worker did not bind:\n${w.out()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return w;
}

let seq = 0;
/** Creates `n` records (untimed) and returns the addBulk that queues their push jobs. */
async function preparePushes(
  store: BootstrapStore,
  queue: Queue<BootstrapJobData>,
  n: number,
): Promise<() => Promise<unknown>> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++, seq++) {
    const id = `bs-bench-${seq}`;
    ids.push(id);
    await store.create({ id, msisdn: `+4474${String(seq).padStart(8, '0')}`, flowId: 'bootstrap', pin: '123456' });
  }
  return () =>
    queue.addBulk(
      ids.map((id) => ({
        name: QUEUES.bootstrap.job,
        data: { bootstrapId: id },
        opts: { ...QUEUES.bootstrap.options, jobId: id },
      })),
    );
}

export async function benchPipeline(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-pipeline-'));
  const redis = await startPrivateRedis({ dir, durable: true });
  const peers = await startPeers(SECRET);
  const conn = createRedis(redis.url, 'patient');
  const store = new BootstrapStore(conn, KEY);
  const queue = new Queue<BootstrapJobData>(QUEUES.bootstrap.name, { prefix: QUEUE_PREFIX, connection: conn });
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const worker = await startWorker(redis, peers, conn, {}, profile);
  const floor = await startFloor(peers);
  try {
    const runs = { floor: [] as number[], pushes: [] as number[], rate: [] as number[], cpu: [] as number[] };
    let cpu: Record<string, number> = {};
    // Warm-up: the same number of pushes on both sides (their JIT and pools are then as warm).
    await timeCompletions(PUSHES, () => queue.getCompletedCount(), await preparePushes(store, queue, PUSHES));
    await floor.run();
    for (let r = 0; r < REPEATS; r++) {
      const f0 = { floor: cpuMs(floor.pid), peers: cpuMs(peers.pid) };
      const fms = await floor.run();
      const floorCpu = { floor: perPush(cpuMs(floor.pid) - f0.floor), peers: perPush(cpuMs(peers.pid) - f0.peers) };
      const add = await preparePushes(store, queue, PUSHES);
      const pids = { worker: worker.pid, peers: peers.pid, redis: redis.process.pid!, bench: process.pid };
      const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
      const pms = await timeCompletions(PUSHES, () => queue.getCompletedCount(), add);
      const used = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, perPush(cpuMs(pid) - cpu0[k]!)]));
      cpu = { ...used, floorClient: floorCpu.floor, peersForFloor: floorCpu.peers };
      runs.floor.push((PUSHES / fms) * 1000);
      runs.pushes.push((PUSHES / pms) * 1000);
      runs.rate.push(fms / pms);
      runs.cpu.push(used.worker! / Math.max(0.01, floorCpu.floor));
      process.stderr.write(
        `  pipeline repeat ${r + 1}/${REPEATS}: ${runs.pushes.at(-1)!.toFixed(0)} pushes/s ` +
          `vs floor ${runs.floor.at(-1)!.toFixed(0)}/s; CPU per push ${used.worker} vs ${floorCpu.floor} ms\n`,
      );
    }
    await floor.stop();
    await worker.stop();
    const tpsCap = await capRun(redis, peers, conn, store, queue, runs.pushes);
    return {
      setup:
        `${PUSHES} pushes (DM registration over HTTP, CP build, 3 submit_sm, receipts) vs the floor client ` +
        '(1 HTTP POST + 3 submit_sm + 3 deliver_sm per push, nothing else); ' +
        `one process each, concurrency ${CONCURRENCY}, SMPP 1 bind, window ${WINDOW}; ` +
        'private Redis with AOF everysec; dev SMSC + DM stand-in in a third process; ' +
        `${REPEATS} repeats, alternating`,
      pushesPerSecond: stats(runs.pushes),
      floorPushesPerSecond: stats(runs.floor),
      rateRatio: stats(runs.rate),
      cpuPerPushRatio: stats(runs.cpu),
      goal: {
        rateRatioAtLeast: 0.5,
        cpuRatioAtMost: 2,
        met: stats(runs.rate).median >= 0.5 && stats(runs.cpu).median <= 2,
      },
      cpuMsPerPushLastRepeat: cpu,
      tpsCap,
    };
  } finally {
    await floor.stop();
    await worker.stop();
    await peers.stop();
    await queue.close();
    conn.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const perPush = (ms: number) => Math.round((ms / PUSHES) * 100) / 100;

/**
 * TPS cap: about a third of the uncapped submit rate (so the cap, not the pipeline, is the limit),
 * at most 100/s, enforced by the worker; the SMSC throttles anything above it. Achieved rate
 * = submits after the first / time from the first to the last, as the SMSC saw them.
 */
async function capRun(
  redis: PrivateRedis,
  peers: Peers,
  conn: ReturnType<typeof createRedis>,
  store: BootstrapStore,
  queue: Queue<BootstrapJobData>,
  pushRates: number[],
) {
  const cap = Math.max(10, Math.min(100, Math.floor(stats(pushRates).median / 10) * 10)); // submits/s = 3 × pushes/s
  peers.faults({ receiptDelayMs: 20, throttleTps: cap });
  const worker = await startWorker(redis, peers, conn, { SMPP_TPS: String(cap) });
  try {
    const n = Math.ceil((cap * 5) / 3); // ≈ 5 s of submits
    const before = await peers.counts();
    const from = peers.submits.length;
    await timeCompletions(n, () => queue.getCompletedCount(), await preparePushes(store, queue, n));
    await new Promise((r) => setTimeout(r, 50)); // the last submit lines
    const after = await peers.counts();
    const s = peers.submits.slice(from);
    const achieved = (s.length - 1) / ((s.at(-1)!.at - s[0]!.at) / 1000);
    return {
      capPerBind: cap,
      submits: s.length,
      achievedTps: Math.round(achieved * 10) / 10,
      offByPercent: Math.round(Math.abs(achieved / cap - 1) * 1000) / 10,
      throttleResponses: after.throttled - before.throttled,
      goal: {
        withinPercent: 5,
        throttles: 0,
        met: Math.abs(achieved / cap - 1) <= 0.05 && after.throttled === before.throttled,
      },
    };
  } finally {
    await worker.stop();
    peers.faults({ receiptDelayMs: 20 });
  }
}
