/**
 * Webhook benchmark: new calls per second on POST /voice/incoming — signature check, body
 * parsing, flow lookup, call state written to Redis, the first turn's TwiML —
 * against a bare Express route returning the same TwiML as a constant, measured in the
 * same run, alternating, ≥3 times each. Goal (both mixes, 10 and 100 connections): ≥ 1.0× the
 * baseline's throughput, p99 ≤ 1.5× (docs/performance.md).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { procfileNodeArgs } from '../main/procfile.js';
import { stats } from './procs.js';
import type { Mix } from './webhook-load.js';

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-auth-token-0123456789';

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** autocannon in its own process: signed webhooks of the `mix` to `base` (signed for `signedBase`). */
export function runLoad(
  base: string,
  signedBase: string,
  token: string,
  seconds: number,
  connections: number,
  mix: Mix = 'new',
): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(here, 'webhook-load.js'), JSON.stringify({ base, signedBase, token, seconds, connections, mix })],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

const SIGNED_BASE = 'http://bench.invalid';
const load = (base: string, seconds: number, connections: number, mix: Mix) =>
  runLoad(base, SIGNED_BASE, TOKEN, seconds, connections, mix);

/** The servers in their own process, with the web's Procfile flags; resolves with their URLs. */
function startServers(): Promise<{ real: string; bare: string; node: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      ...procfileNodeArgs('web'),
      // BENCH_WEBHOOK_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR": a profile of the servers' process.
      ...(process.env.BENCH_WEBHOOK_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      join(here, 'webhook-server.js'),
      JSON.stringify({ token: TOKEN }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = () =>
    new Promise<void>((r) => {
      child.removeAllListeners('exit');
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`webhook bench server exited ${code}`)));
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ ...(JSON.parse(d.toString()) as { real: string; bare: string; node: string }), pid: child.pid!, stop }),
    );
  });
}

export async function benchWebhook(
  opts: { repeats?: number; seconds?: number; connections?: number[] } = {},
): Promise<Record<string, unknown>> {
  const { repeats = Number(process.env.BENCH_REPEATS ?? 3), seconds = 5, connections = [10, 100] } = opts;
  const servers = await startServers();
  const urls = { webhook: servers.real, baseline: servers.bare, nodeHttp: servers.node };
  const out: Record<string, Record<string, unknown>> = { newCall: {}, keypress: {} };
  try {
    for (const [section, mix] of [
      ['newCall', 'new'],
      ['keypress', 'keypress'],
    ] as const) {
      for (const c of connections) {
        const runs: Runs = { webhook: [], baseline: [], nodeHttp: [] };
        for (const u of Object.values(urls)) await load(u, 1, c, mix); // warm-up
        for (let i = 0; i < repeats; i++) {
          for (const k of ['baseline', 'webhook', 'nodeHttp'] as const)
            runs[k].push(await load(urls[k], seconds, c, mix));
        }
        const summary = summarise(runs);
        out[section]![`connections${c}`] = summary;
        process.stderr.write(
          `  webhook (${section}) at ${c} connections: ${JSON.stringify(summary.throughputRatio)}\n`,
        );
      }
    }
  } finally {
    await servers.stop();
  }
  return {
    setup: { repeats, seconds, connections, serverNodeArgs: procfileNodeArgs('web') },
    ...out.newCall,
    keypress: out.keypress,
    note: NOTE,
  };
}

const NOTE =
  'webhook (connections10/100) = signed POST /voice/incoming for a new CallSid each time ' +
  '(answered before Express: signature, form parse, one Redis script: tombstone check, ' +
  'request claim by the idempotency token with its answer, state SET NX; ' +
  'the first turn passes only pure steps, so its TwiML is rendered once per flow revision and reused); ' +
  'baseline = bare Express route, constant TwiML (the goal is against it); ' +
  'nodeHttp = bare node:http server, constant TwiML (the stricter floor, for information); ' +
  'all in one server process started with the node flags of the Procfile web line, ' +
  'the load generator (autocannon) in another; baseline and webhook runs alternate; ratios are per pair of runs. ' +
  "keypress = each call's first two webhooks in turn: the call comes in, then its caller presses 1 " +
  'at the language menu (POST /voice/input: request claim and state read in one script, ' +
  'the turn, state and answer written in one pipeline); ' +
  "the baselines answer each path's constant";

interface Runs {
  webhook: Load[];
  baseline: Load[];
  nodeHttp: Load[];
}

function summarise(runs: Runs): Record<string, unknown> & { throughputRatio: ReturnType<typeof stats> } {
  const ratios = (base: Load[], f: (w: Load, b: Load) => number) => stats(runs.webhook.map((w, i) => f(w, base[i]!)));
  const rps = (w: Load, b: Load) => w.rps / b.rps;
  const p99 = (w: Load, b: Load) => w.p99 / Math.max(b.p99, 1);
  const throughputRatio = ratios(runs.baseline, rps);
  const p99Ratio = ratios(runs.baseline, p99);
  const each = (f: (r: Load) => number) => ({
    webhook: stats(runs.webhook.map(f)),
    baseline: stats(runs.baseline.map(f)),
    nodeHttp: stats(runs.nodeHttp.map(f)),
  });
  return {
    requestsPerSec: each((r) => r.rps),
    p50Ms: each((r) => r.p50),
    p99Ms: each((r) => r.p99),
    throughputRatio,
    p99Ratio,
    vsNodeHttp: { throughputRatio: ratios(runs.nodeHttp, rps), p99Ratio: ratios(runs.nodeHttp, p99) },
    goal: { throughputAtLeast: 1, p99AtMost: 1.5, met: throughputRatio.median >= 1 && p99Ratio.median <= 1.5 },
    failedRequests: runs.webhook.reduce((s, r) => s + r.non2xx + r.errors, 0),
  };
}
