import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPrivateRedis } from '../dev/redis.js';
import { procfileNodeArgs } from '../main/procfile.js';
import { CallSimulator, fetchTransport } from '../console/simulator/call.js';
import { percentile, rssMb, startBootline, startPeers, stats } from './procs.js';
import { runLoad } from './webhook.js';

/**
 * `npm run bench -- calls`: bootline as deployed (web and worker processes, private Redis,
 * dev SMSC and DM stand-in in a process of their own), driven by simulated verified calls
 * (A-attested caller ID, so no code SMS) started at a steady rate. Measured per call: from
 * sending the keypress that confirms the number (its webhook enqueues the push) until the
 * SMSC has accepted the first and the last submit_sm of the push. Also the web process's
 * RSS, sampled while the calls run and then under 100 connections of signed webhooks.
 */
const RATE = Number(process.env.BENCH_CALL_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_CALL_SECONDS ?? 8);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TOKEN = 'bench-calls-token-0123456789';
const ATTESTED = { StirVerstat: 'TN-Validation-Passed-A' };

interface CallTiming {
  first: number;
  last: number;
  answered?: number;
}

export async function benchCalls(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-calls-'));
  const redis = await startPrivateRedis({ dir, durable: true });
  const secret = randomBytes(16).toString('hex');
  const peers = await startPeers(secret);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    REDIS_URL: redis.url,
    SMPP_URL: `smpp://bootline:devpass@127.0.0.1:${peers.smscPort}`,
    TWILIO_AUTH_TOKEN: TOKEN,
    PUBLIC_BASE_URL: base,
    PORT: String(port),
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    DM_REGISTER_URL: peers.dmUrl,
    DM_REGISTER_SECRET: secret,
    LOG_LEVEL: 'warn',
    FLOWS_RELOAD: 'off',
    // Load from one number range is what the default rate limits stop: still checked on every call, with room.
    LIMITS_CODES: 'caller=1000000/1h,destination=1000000/1h,prefix=1000000/1h,country=1000000/1h,global=1000000/1h',
    LIMITS_BOOTSTRAPS:
      'caller=1000000/1h,destination=1000000/1h,prefix=1000000/1h,country=1000000/1h,global=1000000/1h',
  };
  // As deployed: the Procfile's node flags (the web's memory settings), unless BENCH_WEB_NODE_ARGS overrides them.
  const webArgs =
    process.env.BENCH_WEB_NODE_ARGS !== undefined
      ? process.env.BENCH_WEB_NODE_ARGS.split(' ').filter(Boolean)
      : procfileNodeArgs('web');
  const web = await startBootline('web', env, null, webArgs);
  const worker = await startBootline('worker', env, null);
  try {
    await waitHealthy(base);
    const idleRss = rssMb(web.pid);
    const rss: number[] = [];
    const sampler = setInterval(() => {
      try {
        rss.push(rssMb(web.pid));
      } catch {
        /* exited */
      }
    }, 100);
    const runs: Array<{ first: number[]; last: number[]; answered: number[]; failed: number; rate: number }> = [];
    try {
      await callRun(base, peers, RATE, 1, 0); // warm-up
      for (let r = 0; r < REPEATS; r++) {
        runs.push(await callRun(base, peers, RATE, SECONDS, r + 1));
        process.stderr.write(
          `  calls repeat ${r + 1}/${REPEATS}: ` +
            `p99 keypress→last submit_sm ${percentile(runs.at(-1)!.last, 99).toFixed(0)} ms\n`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    const callsRss = Math.max(...rss);
    rss.length = 0;
    const sampler2 = setInterval(() => {
      try {
        rss.push(rssMb(web.pid));
      } catch {
        /* exited */
      }
    }, 100);
    const flood = await runLoad(base, base, TOKEN, 5, 100).finally(() => clearInterval(sampler2));
    const floodRss = Math.max(...rss);
    const p = (k: 'first' | 'last' | 'answered', q: number) => stats(runs.map((r) => percentile(r[k], q)));
    const p99 = p('last', 99);
    return {
      setup:
        `${RATE} verified calls/s for ${SECONDS} s, ${REPEATS} repeats; ` +
        'web + worker processes (defaults: concurrency 10, 1 bind, window 10), Redis AOF everysec, ' +
        'dev SMSC + DM stand-in in a third process, the call simulator in this one',
      achievedCallsPerSecond: stats(runs.map((r) => r.rate)),
      failedCalls: runs.reduce((n, r) => n + r.failed, 0),
      keypressWebhookAnsweredMs: { p50: p('answered', 50), p99: p('answered', 99) },
      keypressToFirstSubmitMs: { p50: p('first', 50), p99: p('first', 99) },
      keypressToLastSubmitMs: { p50: p('last', 50), p99 },
      goalLatency: { p99AtMostMs: 250, met: p99.median <= 250 },
      webRssMb: {
        nodeArgs: webArgs.join(' '),
        idle: Math.round(idleRss),
        duringCalls: Math.round(callsRss),
        during100ConnectionWebhooks: Math.round(floodRss),
        webhooksPerSec: Math.round(flood.rps),
      },
      goalRss: { atMostMb: 150, met: Math.max(callsRss, floodRss) <= 150 },
    };
  } finally {
    await worker.stop();
    await web.stop();
    await peers.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitHealthy(base: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('web did not answer /healthz');
}

/** Starts `rate` calls a second for `seconds`; resolves when every push reached the SMSC (or 30 s passed). */
async function callRun(
  base: string,
  peers: Awaited<ReturnType<typeof startPeers>>,
  rate: number,
  seconds: number,
  run: number,
) {
  const n = Math.round(rate * seconds);
  const timings = new Map<string, CallTiming & { t0: number; seen: number; done: () => void }>();
  const onSubmit = (dest: string, at: number) => {
    const t = timings.get(dest);
    if (!t) return;
    if (++t.seen === 1) t.first = at - t.t0;
    if (t.seen === 3) {
      t.last = at - t.t0;
      t.done();
    } // a CP USERPIN push is 3 segments (docs/reference/codec.md)
  };
  peers.onSubmit.add(onSubmit);
  let failed = 0;
  const start = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // GB mobile range, unique per call
    const national = `07${String(410 + run).padStart(3, '0')}${String(i).padStart(6, '0')}`;
    const dest = `44${national.slice(1)}`;
    calls.push(
      oneCall(base, national, dest, timings).catch(() => {
        failed++;
        timings.delete(dest);
      }),
    );
  }
  const achieved = n / ((performance.now() - start) / 1000);
  await Promise.all(calls);
  peers.onSubmit.delete(onSubmit);
  const done = [...timings.values()].filter((t) => t.seen >= 3);
  failed += timings.size - done.length;
  return {
    first: done.map((t) => t.first),
    last: done.map((t) => t.last),
    answered: done.map((t) => t.answered ?? NaN),
    failed,
    rate: achieved,
  };
}

async function oneCall(
  base: string,
  national: string,
  dest: string,
  timings: Map<string, CallTiming & { t0: number; seen: number; done: () => void }>,
): Promise<void> {
  const sim = new CallSimulator({
    transport: fetchTransport,
    baseUrl: base,
    authToken: TOKEN,
    from: `+${dest}`,
    extra: ATTESTED,
  });
  await sim.dial();
  await sim.press('1'); // English
  const confirm = await sim.press(national);
  const action = confirm.gather?.action;
  if (!action) throw new Error(`no read-back gather: ${confirm.says.join(' ')}`);
  const pushed = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('push not at the SMSC within 30 s')), 30_000);
    timings.set(dest, {
      t0: Date.now(),
      seen: 0,
      first: NaN,
      last: NaN,
      done: () => {
        clearTimeout(t);
        resolve();
      },
    });
  });
  pushed.catch(() => undefined); // awaited below unless the webhook itself fails
  // The keypress that confirms the number; its answer says the PIN and queues the push.
  const res = await sim.send(action, { Digits: '1', FinishedOnKey: '' });
  const entry = timings.get(dest);
  if (entry) entry.answered = Date.now() - entry.t0;
  if (res.status !== 200 || !/PIN/.test(res.body)) throw new Error(`confirm answered ${res.status}`);
  await pushed;
  await sim.hangup();
}
