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

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-auth-token-0123456789';

interface Load { rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

function load(url: string, signedUrl: string, seconds: number, connections: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'webhook-load.js'), JSON.stringify({ url, signedUrl, token: TOKEN, seconds, connections })], { stdio: ['ignore', 'pipe', 'inherit'] });
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

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};

export async function benchWebhook(opts: { repeats?: number; seconds?: number; connections?: number } = {}): Promise<Record<string, unknown>> {
  const { repeats = 3, seconds = 5, connections = 16 } = opts;
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
    const twiml = await engine.incoming({ callSid: 'CA' + 'f'.repeat(32) }, 'bootstrap');
    const bare = express();
    bare.post('/voice/incoming', (_req, res) => { res.type('text/xml').send(twiml); });
    const base = await listen(bare);
    await redisReady(redis);
    const runs: { webhook: Load[]; baseline: Load[] } = { webhook: [], baseline: [] };
    try {
      await load(`${real.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', 1, connections); // warm-up
      await load(`${base.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', 1, connections);
      for (let i = 0; i < repeats; i++) {
        runs.baseline.push(await load(`${base.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', seconds, connections));
        runs.webhook.push(await load(`${real.url}/voice/incoming`, 'http://bench.invalid/voice/incoming', seconds, connections));
      }
    } finally {
      await real.close();
      await base.close();
    }
    return summarise(runs, { repeats, seconds, connections });
  } finally {
    redis.disconnect();
    await redisProc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redisReady(redis: ReturnType<typeof createRedis>): Promise<void> {
  for (let i = 0; i < 200 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 25));
}

function summarise(runs: { webhook: Load[]; baseline: Load[] }, setup: Record<string, number>): Record<string, unknown> {
  const rps = { webhook: stats(runs.webhook.map((r) => r.rps)), baseline: stats(runs.baseline.map((r) => r.rps)) };
  const p99 = { webhook: stats(runs.webhook.map((r) => r.p99)), baseline: stats(runs.baseline.map((r) => r.p99)) };
  const throughputRatio = rps.webhook.median / rps.baseline.median;
  const p99Ratio = p99.webhook.median / Math.max(p99.baseline.median, 1);
  const failures = runs.webhook.reduce((s, r) => s + r.non2xx + r.errors, 0);
  return {
    name: 'webhook', setup, requestsPerSec: rps, p99Ms: p99, throughputRatio: Number(throughputRatio.toFixed(3)), p99Ratio: Number(p99Ratio.toFixed(2)),
    goal: { throughputAtLeast: 0.7, p99AtMost: 2, met: throughputRatio >= 0.7 && p99Ratio <= 2 }, failedRequests: failures,
    note: 'webhook = signed POST /voice/incoming for a new CallSid each time (signature, form parse, one Redis SET NX, TwiML rendered with VoiceResponse); baseline = bare Express route, constant TwiML; server, redis-server and the load generator share the same cores',
  };
}
