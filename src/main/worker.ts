import { createWorker } from '../app/worker.js';
import { createLogger } from '../platform/logger.js';
import { pushWorkerOptions } from '../queues/catalogue.js';
import { configOrExit, onShutdown } from './boot.js';
import { copyLogger, forkCopies, supervising } from './fork.js';

// Entrypoint of the worker process: configuration from the environment, the copies and the
// signals. Everything else is built (and connected) by createWorker (app/worker.ts).
const config = configOrExit('worker');
if (!config.dmRegister) {
  process.stderr.write(
    'bootline worker: invalid configuration:\n' +
      '  DM_REGISTER_URL, DM_REGISTER_SECRET: required by the worker (the dev stack runs a local DM stand-in)\n',
  );
  process.exit(1);
}
const logger = copyLogger(createLogger({ level: config.logLevel, name: 'worker' }));
// WORKER_PROCESSES > 1: supervise that many copies (each with its own SMPP binds) instead.
if (forkCopies('worker', config.processes.worker, logger, config.shutdownTimeoutMs)) await supervising();
const worker = createWorker(config, { logger });
logger.info(
  { smsc: `${config.smpp.host}:${config.smpp.port}`, ...config.smppTransport, ...pushWorkerOptions(config.worker) },
  'worker started',
);
onShutdown(logger, config.shutdownTimeoutMs, worker.shutdown);
