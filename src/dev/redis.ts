import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, createServer, type AddressInfo } from 'node:net';

/** True when something on host:port answers a Redis PING with +PONG. */
export async function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    const finish = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.on('error', () => finish(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => finish(d.toString().startsWith('+PONG')));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function redisServerBinary(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The pid of the redis-server answering on host:port (INFO server), or null if none answers. */
export async function redisProcessId(host: string, port: number, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    let reply = '';
    const finish = (pid: number | null) => {
      sock.destroy();
      resolve(pid);
    };
    sock.setTimeout(timeoutMs, () => finish(null));
    sock.on('error', () => finish(null));
    sock.on('connect', () => sock.write('INFO server\r\n'));
    sock.on('data', (d) => {
      reply += d.toString();
      const m = /process_id:(\d+)\r\n/.exec(reply);
      if (m) finish(Number(m[1]));
      else if (reply.startsWith('-')) finish(null);
    });
  });
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** How a redis-server process is started; tests pass one that ties it to the test's own life. */
export type SpawnRedis = (bin: string, args: string[], options: SpawnOptions) => ChildProcess;

/** A redis-server slow to start on a loaded machine (or loading a large AOF) is still waited for. */
const START_TIMEOUT_MS = 30_000;
/** A free port can be taken by another process before redis-server binds it; then a new one is tried. */
const PORT_ATTEMPTS = 5;

function redisArgs(port: number, dir: string, durable: boolean): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--appendonly',
    durable ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
  ];
}

/**
 * Waits until this very process serves on the port: a PONG alone could come from another
 * redis-server that took the port first, so the pid it reports must be the child's.
 */
async function serving(proc: ChildProcess, port: number): Promise<boolean> {
  const end = Date.now() + START_TIMEOUT_MS;
  while (proc.exitCode === null && proc.signalCode === null && Date.now() < end) {
    if ((await redisAnswers('127.0.0.1', port)) && (await redisProcessId('127.0.0.1', port)) === proc.pid) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        resolve();
        return;
      }
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
}

/**
 * Starts a private redis-server on loopback. `durable` turns on what BullMQ's production
 * guide asks for (AOF everysec, noeviction) with data kept in `dir`; tests run without
 * persistence for speed. Without a `port`, a free one is picked (and another one tried if it
 * was taken meanwhile).
 */
export async function startPrivateRedis(opts: {
  dir: string;
  durable: boolean;
  port?: number;
  spawn?: SpawnRedis;
}): Promise<PrivateRedis> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server not found');
  mkdirSync(opts.dir, { recursive: true });
  const start = opts.spawn ?? spawn;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    // No inherited stdio: a redis-server outliving its parent (a killed test file) must not hold
    // the parent's stderr open, or whatever reads it (the test runner, CI) waits forever.
    const proc = start(bin, redisArgs(port, opts.dir, opts.durable), { stdio: 'ignore' });
    if (await serving(proc, port))
      return { url: `redis://127.0.0.1:${port}`, port, process: proc, stop: stopper(proc) };
    await stopper(proc)();
    if (opts.port !== undefined || attempt === PORT_ATTEMPTS)
      throw new Error(`redis-server did not start on ${port} (see ${join(opts.dir, 'redis.log')})`);
  }
}
