import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWeb } from '../app/web.js';
import { isBootlineError } from '../errors.js';
import { createLogger } from '../platform/logger.js';
import { configOrExit, onShutdown } from './boot.js';
import { copyLogger, forkCopies, supervising } from './fork.js';

// Entrypoint of the web process: configuration from the environment, the copies, the sockets
// and the signals. Everything else is built by createWeb (app/web.ts), as the tests build it.
const config = configOrExit('web');
const logger = copyLogger(createLogger({ level: config.logLevel, name: 'web' }));
// WEB_CONCURRENCY > 1: this process only supervises that many copies sharing the port, and
// goes no further (each copy runs the rest of this file).
if (forkCopies('web', config.processes.web, logger, config.shutdownTimeoutMs)) await supervising();

// The console's simulated calls post their webhooks to this process alone (a draft being tried
// lives in this process's registry): a loopback port of its own, not shared with the other
// copies (`exclusive`: node:cluster would otherwise hand the connection to any of them).
const own = createServer();
const web = createWebOrExit(() => `http://127.0.0.1:${(own.address() as AddressInfo).port}`);
const server = createServer(web.listener).listen(config.port, () => {
  logger.info({ port: config.port, publicBaseUrl: config.publicBaseUrl, flows: web.flows.ids() }, 'web listening');
});
server.keepAliveTimeout = 65_000;
own.on('request', web.listener).listen({ port: 0, host: '127.0.0.1', exclusive: true });

onShutdown(logger, config.shutdownTimeoutMs, [
  [
    'http',
    async () => {
      for (const s of [server, own]) {
        s.close();
        s.closeIdleConnections();
      }
      await Promise.all([once(server, 'close'), once(own, 'close')]);
    },
  ],
  ...web.shutdown,
]);

/** A bad flow file stops the web process with every problem listed (file:line path: message). */
function createWebOrExit(selfUrl: () => string) {
  try {
    return createWeb(config, { logger, selfUrl });
  } catch (err) {
    if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
    process.stderr.write(`bootline web: ${err.message}\n`);
    process.exit(1);
  }
}
