import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DevSmsc, type DevSmscOptions } from '../../src/dev/smsc/server.js';
import { DmStandIn } from '../../src/dev/dm-server.js';
import { silentLogger } from '../../src/platform/logger.js';
import { spawnChild } from './children.js';
import { repoRoot } from './paths.js';
import { startTestRedis } from './redis.js';
import { TEST_KEY } from './stack.js';

export interface Proc {
  readonly child: ChildProcess;
  readonly out: () => string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs one of the built entrypoints (dist/src/...) with exactly the given environment. The process
 * (and whatever it starts) is killed when the test file ends, if the test has not stopped it.
 */
export function runNode(script: string, env: Record<string, string>, args: string[] = []): Proc {
  const child = spawnChild(process.execPath, [join(repoRoot, 'dist', script), ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    out: () => buf,
    async waitFor(re, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(buf);
        if (m) return m;
        if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${re} in output:\n${buf}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async exit(timeoutMs = 30_000) {
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** What bootline's processes talk to in a test: a private Redis, a dev SMSC, a DM stand-in, and the env that points at them. */
export interface ProcessPeers {
  readonly redis: Awaited<ReturnType<typeof startTestRedis>>;
  readonly smsc: DevSmsc;
  readonly dm: DmStandIn;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the peers; `name` makes the test's token and DM secret its own. `env` adds to (or overrides) the base environment. */
export async function startProcessPeers(
  name: string,
  o: { smsc?: Partial<DevSmscOptions>; env?: Record<string, string> } = {},
): Promise<ProcessPeers> {
  const redis = await startTestRedis();
  const smsc = new DevSmsc({ logger: silentLogger(), receiptDelayMs: 10, ...o.smsc });
  const dmSecret = `${name}-test-dm-secret-0123`;
  const dm = new DmStandIn({ secret: dmSecret, logger: silentLogger() });
  const port = await smsc.listen(0);
  await dm.listen(0);
  const env = {
    REDIS_URL: redis.url,
    SMPP_URL: `smpp://bootline:devpass@127.0.0.1:${port}`,
    TWILIO_AUTH_TOKEN: `${name}-test-token-123`,
    DM_SERVER_URL: 'https://dm.example.com/dm',
    DM_SERVER_ID: 'com.example.dm',
    DATA_ENCRYPTION_KEY: TEST_KEY.toString('hex'),
    DM_REGISTER_URL: dm.url,
    DM_REGISTER_SECRET: dmSecret,
    LOG_LEVEL: 'info',
    ...o.env,
  };
  return {
    redis,
    smsc,
    dm,
    env,
    close: async () => {
      await smsc.close();
      await dm.close();
      await redis.stop();
    },
  };
}
