import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { freePort, startPrivateRedis } from '../dev/redis.js';
import { hashToken } from '../platform/http/auth.js';
import { createRedis } from '../platform/redis/client.js';
import { readSmscHealth } from '../smpp/heartbeat.js';
import { rssMb, startBootline, startPeers, type BootlineProc } from './procs.js';

/**
 * `npm run bench -- batch`: a bulk file through the whole pipeline — the web process streams
 * and checks it and runs the batch steps, the worker pushes (DM registration, CP build, 3
 * submit_sm per push, receipts) under SMPP_TOTAL_TPS, against the dev SMSC in its own process;
 * each size in fresh processes after the same unmeasured warm-up batch.
 * Figures: submit_sm/s at the SMSC over the middle 80 % of the batch against the TPS cap (the
 * cap is the limit here: the goal is within 5 %), pushes/s, and the peak RSS of the web and
 * worker processes for 2,000 and 10,000 rows (the goal: flat in the batch size).
 */
const TPS = Number(process.env.BENCH_BATCH_TPS ?? 150);
const SIZES = (process.env.BENCH_BATCH_ROWS ?? '2000,10000').split(',').map(Number);
const SECRET = randomBytes(16).toString('hex');
const KEY = randomBytes(32).toString('hex');
const TOKEN = randomBytes(16).toString('hex');
const WARM_UP = Number(process.env.BENCH_BATCH_WARM_UP ?? 500);

async function writeCsv(path: string, rows: number, offset: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('msisdn,pin\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`+447400${String(offset + i).padStart(6, '0')},${String(100000 + (i % 900000))}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

type RunOptions = Parameters<typeof runOne>[0];

async function runOne(o: {
  rows: number;
  offset: number;
  dir: string;
  base: string;
  web: BootlineProc;
  worker: BootlineProc;
  peers: Awaited<ReturnType<typeof startPeers>>;
}) {
  const file = join(o.dir, `batch-${o.rows}.csv`);
  await writeCsv(file, o.rows, o.offset);
  const peak = { web: 0, worker: 0 };
  const sample = setInterval(() => {
    // A process that died leaves no /proc entry: the run fails below, not the sampler.
    if (o.web.child.exitCode === null) peak.web = Math.max(peak.web, rssMb(o.web.pid));
    if (o.worker.child.exitCode === null) peak.worker = Math.max(peak.worker, rssMb(o.worker.pid));
  }, 100);
  try {
    return await measure(o, file, peak);
  } finally {
    clearInterval(sample);
  }
}

async function measure(o: RunOptions, file: string, peak: { web: number; worker: number }) {
  const first = o.peers.submits.length;
  const t0 = performance.now();
  const res = await fetch(`${o.base}/api/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const up = (await res.json()) as { batchId: string; valid: number };
  const uploadMs = performance.now() - t0;
  if (res.status !== 202 || up.valid !== o.rows) throw new Error(`upload: ${res.status} ${JSON.stringify(up)}`);
  let b: { phase: string; counts: Record<string, number> };
  for (;;) {
    b = (await (
      await fetch(`${o.base}/api/batches/${up.batchId}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as typeof b;
    if (b.phase === 'done') break;
    if (o.web.child.exitCode !== null || o.worker.child.exitCode !== null)
      throw new Error(`a process died:\n${o.web.out()}\n${o.worker.out()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const totalMs = performance.now() - t0;
  const subs = o.peers.submits
    .slice(first)
    .map((s) => s.at)
    .sort((a, c) => a - c);
  const lo = subs[Math.floor(subs.length * 0.1)]!;
  const hi = subs[Math.floor(subs.length * 0.9)]!;
  const middle = subs.filter((t) => t >= lo && t <= hi).length;
  const submitsPerS = (middle - 1) / ((hi - lo) / 1000);
  const segments = subs.length / o.rows;
  return {
    rows: o.rows,
    delivered: b.counts.delivered,
    uploadS: Math.round(uploadMs) / 1000,
    totalS: Math.round(totalMs) / 1000,
    submits: subs.length,
    segmentsPerPush: Math.round(segments * 100) / 100,
    submitsPerS: Math.round(submitsPerS * 10) / 10,
    ofTps: Math.round((submitsPerS / TPS) * 1000) / 1000,
    pushesPerS: Math.round((submitsPerS / segments) * 10) / 10,
    peakRssMb: { web: Math.round(peak.web), worker: Math.round(peak.worker) },
  };
}

/** Fresh web and worker processes, warmed up with a small batch that is not measured. */
async function startPair(env: Record<string, string>, redisUrl: string, port: number) {
  const web = await startBootline('web', env, null);
  const worker = await startBootline('worker', env, null);
  const conn = createRedis(redisUrl, 'fast');
  const up = async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok;
  for (let i = 0; !(await readSmscHealth(conn)).ok || !(await up()); i++) {
    if (i > 400) throw new Error(`bootline did not start:\n${web.out()}\n${worker.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  conn.disconnect();
  return { web, worker };
}

export async function benchBatch() {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-batch-'));
  const redis = await startPrivateRedis({ dir: join(dir, 'redis'), durable: true });
  const peers = await startPeers(SECRET, 20);
  const port = await freePort();
  const env = {
    REDIS_URL: redis.url,
    SMPP_URL: `smpp://bootline:devpass@127.0.0.1:${peers.smscPort}`,
    TWILIO_AUTH_TOKEN: 'bench-token-0123',
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: KEY,
    DM_REGISTER_URL: peers.dmUrl,
    DM_REGISTER_SECRET: SECRET,
    API_TOKENS: `pos:${hashToken(TOKEN)}`,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    FLOWS_RELOAD: 'off',
    SMPP_TOTAL_TPS: String(TPS),
    WORKER_CONCURRENCY: process.env.BENCH_BATCH_CONCURRENCY ?? '20',
    BATCH_WINDOW: String(Math.max(50, TPS)),
    LIMITS_BOOTSTRAPS: 'destination=5/1h,prefix=1000000/1h,country=1000000/1h,global=1000000/1h',
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    const results = [];
    let offset = 0;
    // Each size in its own fresh pair of processes (peak RSS is a process's, not a run's),
    // after the same unmeasured warm-up batch, so the sizes differ only in the batch.
    for (const rows of SIZES) {
      const { web, worker } = await startPair(env, redis.url, port);
      try {
        await runOne({ rows: WARM_UP, offset, dir, base, web, worker, peers });
        offset += WARM_UP;
        results.push(await runOne({ rows, offset, dir, base, web, worker, peers }));
        offset += rows;
      } finally {
        await web.stop();
        await worker.stop();
      }
    }
    const [small, big] = [results[0]!, results.at(-1)!];
    return {
      tpsCap: TPS,
      warmUpRows: WARM_UP,
      results,
      rssGrowthWeb: Math.round((big.peakRssMb.web / small.peakRssMb.web) * 100) / 100,
      rssGrowthWorker: Math.round((big.peakRssMb.worker / small.peakRssMb.worker) * 100) / 100,
      withinFivePercent: results.every((r) => Math.abs(1 - r.ofTps) <= 0.05),
    };
  } finally {
    await peers.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
