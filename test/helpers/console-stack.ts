import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestListener } from '../../src/app/http.js';
import type { FlowAdmin } from '../../src/console/flows/service.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { repoRoot } from './paths.js';
import { webStack, type DoorsOptions, type WebStack } from './stack.js';

export const OPERATOR = 'operator-token-for-console-tests';
export const AGENT = 'agent-token-for-console-tests';
export const READ_ONLY = 'read-only-token-for-console-tests';
export const POS = 'pos-token-for-console-tests-0123';

export interface ConsoleStack {
  readonly app: RequestListener;
  readonly web: WebStack;
  readonly admin: FlowAdmin;
  readonly dir: string;
  /** http://localhost:PORT once `listen()` ran (browsers keep Secure cookies on localhost). */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The web process (createWeb) with its console and flow admin API, on a temp copy of
 * voice-flows/ (publishing writes files), with operator and agent tokens.
 */
export function consoleStack(
  redisUrl: string,
  opts: {
    prefix: string;
    testCallers?: string[];
    /** More environment (EVENT_SUBSCRIBERS…); API_TOKENS stays the console's. */
    env?: Record<string, string>;
    /** The doors' settings and a batch worker in this stack (the tokens are the console's, a pos one among them). */
    doors?: Omit<DoorsOptions, 'tokens'>;
  },
): ConsoleStack {
  const dir = mkdtempSync(join(tmpdir(), 'bootline-console-'));
  copyFileSync(join(repoRoot, 'voice-flows', 'bootstrap.yaml'), join(dir, 'bootstrap.yaml'));
  const tokens = [
    `operator:${hashToken(OPERATOR)}`,
    `agent:${hashToken(AGENT)}`,
    `read-only:${hashToken(READ_ONLY)}`,
    `pos:${hashToken(POS)}`,
  ];
  const web = webStack(redisUrl, {
    prefix: opts.prefix,
    env: { ...opts.env, FLOWS_DIR: dir, API_TOKENS: tokens.join(',') },
    ...(opts.doors ? { doors: { ...opts.doors, tokens: [] } } : {}),
    ...(opts.testCallers ? { testCallers: opts.testCallers } : {}),
    selfUrl: () => stack.url.replace('localhost', '127.0.0.1'),
  });
  let server: Server | null = null;
  const stack: ConsoleStack = {
    app: web.app,
    web,
    admin: web.web.flowAdmin,
    dir,
    url: '',
    listen: () =>
      new Promise((resolve) => {
        server = createServer(web.app).listen(0, '127.0.0.1', () => {
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
