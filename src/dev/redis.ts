import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server on loopback. `durable` turns on what BullMQ's production
 * guide asks for (AOF everysec, noeviction) with data kept in `dir`; tests run without
 * persistence for speed.
 */
export async function startPrivateRedis(opts: { dir: string; durable: boolean; port?: number }): Promise<PrivateRedis> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server not found');
  mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    opts.dir,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--appendonly',
    opts.durable ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    '--logfile',
    join(opts.dir, 'redis.log'),
  ];
  // No inherited stdio: a redis-server outliving its parent (a killed test file) must not hold
  // the parent's stderr open, or whatever reads it (the test runner, CI) waits forever.
  const proc = spawn(bin, args, { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await redisAnswers('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await redisAnswers('127.0.0.1', port))) {
    proc.kill('SIGKILL');
    throw new Error(`redis-server did not start on ${port} (see ${join(opts.dir, 'redis.log')})`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) {
          resolve();
          return;
        }
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
