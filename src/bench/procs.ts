/**
 * Processes the benchmarks start: the peers (dev SMSC + DM stand-in), bootline's own web and
 * worker entry points (dist/src/main/*.js, configured through the environment as in
 * production), and small helpers (stats over repeats, RSS of a process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Entry points started; BENCH_MAIN_DIR points at another build's dist/src/main for before/after runs. */
export const DIST_MAIN = process.env.BENCH_MAIN_DIR ?? join(here, '..', 'main');

export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { min: r(s[0] ?? NaN), median: r(s[Math.floor(s.length / 2)] ?? NaN), max: r(s.at(-1) ?? NaN) };
};

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Resident set size of a process in MB (Linux /proc), or NaN. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface Peers {
  readonly smscPort: number;
  readonly dmUrl: string;
  readonly pid: number;
  /** Accepted submit_sm: destination (digits) and epoch ms; listeners see each as it is reported. */
  readonly onSubmit: Set<(dest: string, at: number) => void>;
  readonly submits: Array<{ dest: string; at: number }>;
  faults(f: object): void;
  counts(): Promise<{ throttled: number; received: number; dm: number }>;
  stop(): Promise<void>;
}

export async function startPeers(secret: string, receiptDelayMs = 20): Promise<Peers> {
  // Diagnostics: BENCH_PEERS_CPU_PROF=<dir> writes a CPU profile of the peers process (on "quit").
  const prof = process.env.BENCH_PEERS_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PEERS_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...prof, join(here, 'peers.js'), JSON.stringify({ secret, receiptDelayMs })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const onSubmit = new Set<(dest: string, at: number) => void>();
  const submits: Array<{ dest: string; at: number }> = [];
  const countWaiters: Array<(c: { throttled: number; received: number; dm: number }) => void> = [];
  const first = await new Promise<{ smscPort: number; dmUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench peers exited ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line));
      else if (line.startsWith('S ')) {
        const [, dest, at] = line.split(' ');
        submits.push({ dest: dest!, at: Number(at) });
        for (const f of onSubmit) f(dest!, Number(at));
      } else if (line.startsWith('C ')) countWaiters.shift()?.(JSON.parse(line.slice(2)));
    });
  });
  return {
    ...first,
    pid: child.pid!,
    onSubmit,
    submits,
    faults: (f) => {
      child.stdin!.write(`faults ${JSON.stringify(f)}\n`);
    },
    counts: () =>
      new Promise((resolve) => {
        countWaiters.push(resolve);
        child.stdin!.write('counts\n');
      }),
    stop: () => stopChild(child, () => child.stdin!.write('quit\n')),
  };
}

export interface BootlineProc {
  readonly child: ChildProcess;
  readonly pid: number;
  out(): string;
  stop(): Promise<void>;
}

/** Starts dist/src/main/<name>.js with `env` and waits until its log says `ready` (null: no wait). */
export async function startBootline(
  name: 'web' | 'worker',
  env: Record<string, string>,
  ready: RegExp | null,
  nodeArgs: string[] = [],
): Promise<BootlineProc> {
  const child = spawn(process.execPath, [...nodeArgs, join(DIST_MAIN, `${name}.js`)], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  const keep = (d: Buffer) => {
    buf = (buf + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const end = Date.now() + 20_000;
  while (ready && !ready.test(buf)) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start:\n${buf}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, pid: child.pid!, out: () => buf, stop: () => stopChild(child, () => child.kill('SIGTERM')) };
}

function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    ask();
  });
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
