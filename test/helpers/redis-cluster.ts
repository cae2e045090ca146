import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisAnswers, redisProcessId, redisServerBinary } from '../../src/dev/redis.js';
import { spawnChild } from './children.js';

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

const NODE_START_MS = 30_000;

/** One cluster node, serving on its port (its own pid answers there); a port taken meanwhile is replaced. */
async function startNode(bin: string, dir: string): Promise<{ port: number; proc: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await clusterPort();
    const d = join(dir, String(port));
    mkdirSync(d);
    const proc = spawnChild(bin, nodeArgs(port, d), { stdio: ['ignore', 'ignore', 'inherit'] });
    const end = Date.now() + NODE_START_MS;
    while (proc.exitCode === null && proc.signalCode === null && Date.now() < end) {
      if ((await redisProcessId('127.0.0.1', port)) === proc.pid) return { port, proc };
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    if (attempt === 5) throw new Error(`cluster node did not start on ${port}`);
  }
}

function nodeArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
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
  ];
}

function cli(args: string[]): string {
  const r = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * A private Redis Cluster of `masters` masters (no replicas) on loopback, in a temp dir:
 * `redis-server --cluster-enabled yes` per node, then `redis-cli --cluster create … --cluster-yes`,
 * then waits until every node reports cluster_state:ok. The nodes die with the test file (children.ts).
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
      const node = await startNode(bin, dir);
      procs.push(node.proc);
      nodes.push({ host: '127.0.0.1', port: node.port });
    }
    cli([
      '--cluster',
      'create',
      ...nodes.map((n) => `${n.host}:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const end = Date.now() + NODE_START_MS;
    for (const n of nodes) {
      while (!/cluster_state:ok/.test(cli(['-p', String(n.port), 'cluster', 'info']))) {
        if (Date.now() > end) throw new Error(`cluster node ${n.port} never reached cluster_state:ok`);
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
