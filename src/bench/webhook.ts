/**
 * Webhook benchmark: new calls per second on POST /voice/incoming — signature check, body
 * parsing, flow lookup, call state written to Redis, TwiML rendered with VoiceResponse —
 * against a bare Express route returning the same TwiML as a constant, measured in the
 * same run, alternating, ≥3 times each. Goal: ≥ 0.7× the baseline's throughput, p99 ≤ 2×.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createApp } from '../http/app.js';
import { silentLogger } from '../lib/logger.js';
import { createRedis } from '../lib/redis.js';
import { startPrivateRedis } from '../main/dev-redis.js';
import { createVoiceEngine } from '../voice/create.js';
import { FlowRegistry } from '../voice/registry.js';
import { stats } from './procs.js';

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-auth-token-0123456789';

export interface Load { rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

/** autocannon in its own process: signed new-call webhooks to `url` (signed for `signedUrl`). */
export function runLoad(url: string, signedUrl: string, token: string, seconds: number, connections: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'webhook-load.js'), JSON.stringify({ url, signedUrl, token, seconds, connections })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load generator exited ${code}`))));
  });
}

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const load = (url: string, signedUrl: string, seconds: number, connections: number) => runLoad(url, signedUrl, TOKEN, seconds, connections);

export async function benchWebhook(opts: { repeats?: number; seconds?: number; connections?: number[] } = {}): Promise<Record<string, unknown>> {
  const { repeats = Number(process.env.BENCH_REPEATS ?? 3), seconds = 5, connections = [10, 100] } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-'));
  const redisProc = await startPrivateRedis({ dir, durable: false });
  const redis = createRedis(redisProc.url, 'fast', { enableAutoPipelining: true }); // as main/web.ts
  try {
    const flows = FlowRegistry.fromDirectory(join(here, '..', '..', '..', 'voice-flows'));
    const engine = createVoiceEngine({ redis, flows, services: {
      publicBaseUrl: 'http://bench.invalid', pinLength: 6, sealKey: Buffer.alloc(32, 1), logger: silentLogger(),
      enqueueBootstrap: () => Promise.reject(new Error('not in this benchmark')), sendText: () => Promise.reject(new Error('not in this benchmark')),
      bootstrapStatus: async () => null,
    } });
    const app = createApp({ config: { publicBaseUrl: 'http://bench.invalid', twilioAuthToken: TOKEN }, logger: silentLogger(), engine, readiness: async () => ({}) });
    const real = await listen(app);
    // The constant the real route renders for a new call, so both answer the same bytes.
    const first = await engine.incoming({ callSid: 'CA' + 'f'.repeat(32) }, 'bootstrap');
    if (first.kind !== 'twiml') throw new Error(`expected TwiML for a new call, got ${first.kind}`);
    const twiml = first.body;
    const bare = express();
    bare.post('/voice/incoming', (_req, res) => { res.type('text/xml').send(twiml); });
    const base = await listen(bare);
    await redisReady(redis);
    const out: Record<string, unknown> = {};
    try {
      for (const c of connections) {
        const runs: { webhook: Load[]; baseline: Load[] } = { webhook: [], baseline: [] };
        await load(`${real.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', 1, c); // warm-up
        await load(`${base.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', 1, c);
        for (let i = 0; i < repeats; i++) {
          runs.baseline.push(await load(`${base.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', seconds, c));
          runs.webhook.push(await load(`${real.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', seconds, c));
        }
        out[`connections${c}`] = summarise(runs);
        process.stderr.write(`  webhook at ${c} connections: ${JSON.stringify((out[`connections${c}`] as { throughputRatio: unknown }).throughputRatio)}\n`);
      }
    } finally {
      await real.close();
      await base.close();
    }
    return { setup: { repeats, seconds, connections }, ...out, note: NOTE };
  } finally {
    redis.disconnect();
    await redisProc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redisReady(redis: ReturnType<typeof createRedis>): Promise<void> {
  for (let i = 0; i < 200 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 25));
}

const NOTE = 'webhook = signed POST /voice/incoming for a new CallSid each time (signature, form parse, one Redis script: tombstone check + state SET NX, TwiML rendered with VoiceResponse); baseline = bare Express route, constant TwiML; both in this process, the load generator (autocannon) in another; baseline and webhook runs alternate; ratios are per pair of runs';

function summarise(runs: { webhook: Load[]; baseline: Load[] }): Record<string, unknown> {
  const pairs = runs.webhook.map((w, i) => ({ w, b: runs.baseline[i]! }));
  const throughputRatio = stats(pairs.map(({ w, b }) => w.rps / b.rps));
  const p99Ratio = stats(pairs.map(({ w, b }) => w.p99 / Math.max(b.p99, 1)));
  return {
    requestsPerSec: { webhook: stats(runs.webhook.map((r) => r.rps)), baseline: stats(runs.baseline.map((r) => r.rps)) },
    p50Ms: { webhook: stats(runs.webhook.map((r) => r.p50)), baseline: stats(runs.baseline.map((r) => r.p50)) },
    p99Ms: { webhook: stats(runs.webhook.map((r) => r.p99)), baseline: stats(runs.baseline.map((r) => r.p99)) },
    throughputRatio, p99Ratio,
    goal: { throughputAtLeast: 0.7, p99AtMost: 2, met: throughputRatio.median >= 0.7 && p99Ratio.median <= 2 },
    failedRequests: runs.webhook.reduce((s, r) => s + r.non2xx + r.errors, 0),
  };
}
