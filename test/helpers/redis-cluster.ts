import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisAnswers, redisServerBinary } from '../../src/dev/redis.js';

export interface TestRedisCluster {
  readonly nodes: Array<{ host: string; port: number }>;
  /** REDIS_CLUSTER_NODES for the processes under test. */
  readonly env: string;
  /** REDIS_URL (auth/TLS source; any node). */
  readonly url: string;
  stop(): Promise<void>;
}

/** Cluster bus port = port + 10000, so data ports are taken below 55535 and checked free. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p < 55_535 && !(await redisAnswers('127.0.0.1', p + 10_000, 100))) return p;
  }
}

function cli(args: string[]): string {
  const r = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * A private Redis Cluster of `masters` masters (no replicas) on loopback, in a temp dir:
 * `redis-server --cluster-enabled yes` per node, then `redis-cli --cluster create … --cluster-yes`,
 * then waits until every node reports cluster_state:ok.
 */
export async function startTestRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server not found (apt-get install -y redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'bootline-cluster-'));
  const procs: ChildProcess[] = [];
  const nodes: Array<{ host: string; port: number }> = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) {
              resolve();
              return;
            }
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await clusterPort();
      const d = join(dir, String(port));
      mkdirSync(d);
      procs.push(
        spawn(
          bin,
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            d,
            '--save',
            '',
            '--appendonly',
            'no',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
            '--maxmemory-policy',
            'noeviction',
            '--daemonize',
            'no',
          ],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        ),
      );
      nodes.push({ host: '127.0.0.1', port });
    }
    for (const n of nodes) {
      for (let i = 0; i < 100 && !(await redisAnswers(n.host, n.port)); i++)
        await new Promise((r) => setTimeout(r, 50));
    }
    cli([
      '--cluster',
      'create',
      ...nodes.map((n) => `${n.host}:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const n of nodes) {
      for (let i = 0; ; i++) {
        if (/cluster_state:ok/.test(cli(['-p', String(n.port), 'cluster', 'info']))) break;
        if (i > 200) throw new Error(`cluster node ${n.port} never reached cluster_state:ok`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    env: nodes.map((n) => `${n.host}:${n.port}`).join(','),
    url: `redis://${nodes[0]!.host}:${nodes[0]!.port}`,
    stop,
  };
}
