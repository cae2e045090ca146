import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { FlowAdmin } from '../../src/console/flows/service.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { createApp } from '../../src/app/http.js';
import { silentLogger } from '../../src/platform/logger.js';
import { FlowRegistry } from '../../src/voice/registry.js';
import { repoRoot } from './paths.js';
import { TEST_KEY, webStack, type WebStack } from './stack.js';

export const OPERATOR = 'operator-token-for-console-tests';
export const AGENT = 'agent-token-for-console-tests';
export const READ_ONLY = 'read-only-token-for-console-tests';

export interface ConsoleStack {
  readonly app: Express;
  readonly web: WebStack;
  readonly admin: FlowAdmin;
  readonly dir: string;
  /** http://localhost:PORT once `listen()` ran (browsers keep Secure cookies on localhost). */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The web side with the console and the flow admin API mounted as main/web.ts mounts them,
 * on a temp copy of voice-flows/ (publishing writes files), operator and agent tokens.
 */
export function consoleStack(redisUrl: string, opts: { prefix: string; testCallers?: string[] }): ConsoleStack {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-console-'));
  copyFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), join(dir, 'bootstrap.yaml'));
  const flows = FlowRegistry.fromDirectory(dir);
  const web = webStack(redisUrl, {
    prefix: opts.prefix,
    flows,
    ...(opts.testCallers ? { testCallers: opts.testCallers } : {}),
  });
  const tokens = [
    { role: 'operator' as const, sha256: hashToken(OPERATOR) },
    { role: 'agent' as const, sha256: hashToken(AGENT) },
    { role: 'read-only' as const, sha256: hashToken(READ_ONLY) },
  ];
  const admin = new FlowAdmin({ flowsDir: dir, registry: flows, logger: silentLogger() });
  const app = createApp({
    config: web.config,
    logger: silentLogger(),
    engine: web.engine,
    readiness: async () => ({}),
    console: {
      admin,
      registry: flows,
      tokens,
      secret: TEST_KEY,
      redis: web.redis,
      store: web.store,
      bootstrapQueue: web.queue,
      smsQueue: web.smsQueue,
      selfUrl: () => stack.url.replace('localhost', '127.0.0.1'),
    },
    api: { tokens, store: web.store, bootstrapQueue: web.queue, queues: [web.queue, web.smsQueue] },
  });
  let server: Server | null = null;
  const stack: ConsoleStack = {
    app,
    web,
    admin,
    dir,
    url: '',
    listen: () =>
      new Promise((resolve) => {
        server = app.listen(0, '127.0.0.1', () => {
          const addr = server!.address();
          stack.url = `http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}`;
          resolve(stack.url);
        });
      }),
    close: async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise((r) => server!.close(r));
      }
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
