import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { isBootlineError } from '../../src/errors.js';
import { MINIMAL_ENV } from '../helpers/config-env.js';

const GOOD = MINIMAL_ENV;

test('scale-out settings default to one Redis, one copy of each process, no total TPS cap', () => {
  const c = loadConfig(GOOD);
  assert.deepEqual(c.redisClusterNodes, []);
  assert.deepEqual({ ...c.processes }, { web: 1, worker: 1 });
  assert.equal(c.smppTotalTps, 0);
});

test('REDIS_CLUSTER_NODES, WEB_CONCURRENCY, WORKER_PROCESSES, SMPP_TOTAL_TPS are read', () => {
  const c = loadConfig({
    ...GOOD,
    REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2.internal:7001,[::1]:7002',
    WEB_CONCURRENCY: '4',
    WORKER_PROCESSES: '3',
    SMPP_TOTAL_TPS: '150',
  });
  assert.deepEqual(
    c.redisClusterNodes.map((n) => ({ ...n })),
    [
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-2.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ],
  );
  assert.deepEqual({ ...c.processes }, { web: 4, worker: 3 });
  assert.equal(c.smppTotalTps, 150);
});

test('bad scale-out settings are refused with their names', () => {
  for (const [name, value] of [
    ['REDIS_CLUSTER_NODES', 'redis-1'],
    ['REDIS_CLUSTER_NODES', 'a:1,,b:2'],
    ['WEB_CONCURRENCY', '0'],
    ['WORKER_PROCESSES', 'many'],
    ['SMPP_TOTAL_TPS', '-1'],
  ] as const) {
    assert.throws(
      () => loadConfig({ ...GOOD, [name]: value }),
      (e: unknown) => isBootlineError(e, 'CONFIG_INVALID') && e.message.includes(name),
      `${name}=${value}`,
    );
  }
});
