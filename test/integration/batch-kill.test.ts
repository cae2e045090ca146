import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort } from '../../src/dev/redis.js';
import { hashToken } from '../../src/platform/http/auth.js';
import { splitUdh } from '../helpers/push-bytes.js';
import { runNode, startProcessPeers, type Proc, type ProcessPeers } from '../helpers/proc.js';
import { TEST_KEY, waitFor } from '../helpers/stack.js';
import { createRedis } from '../../src/platform/redis/client.js';
import { BootstrapStore } from '../../src/deliveries/store/store.js';

// A batch survives its processes: the web process (which runs the batch steps) is SIGKILLed
// three times mid-batch and started anew, the worker twice; every row still ends
// delivered, and each number gets exactly one push (one bootstrap, one concatenation reference
// at the SMSC): no row is asked for twice, none is lost.
const ROWS = 60;
const POS = 'pos-token-batch-kill-0123456';
let peers: ProcessPeers;
let env: Record<string, string>;
let base: string;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  peers = await startProcessPeers('batchkill', {
    smsc: { receiptDelayMs: 5, faults: { respondDelayMs: 2 } },
    env: {
      LOG_LEVEL: 'warn',
      PORT: String(port),
      API_TOKENS: `pos:${hashToken(POS)}`,
      // A killed process's batch step comes back after 1 s; a small window keeps rows in flight.
      WORKER_LOCK_MS: '1000',
      WORKER_MAX_STALLED: '1000',
      BATCH_WINDOW: '6',
      SMPP_TPS: '60',
      LIMITS_BOOTSTRAPS: 'destination=5/1h,prefix=100000/1h,country=100000/1h,global=100000/1h',
      FLOWS_RELOAD: 'off',
    },
  });
  env = peers.env;
});
after(() => peers.close());

const web = async (): Promise<Proc> => {
  const w = runNode('src/main/web.js', env);
  await waitFor('web up', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 20_000);
  return w;
};
const batch = async (id: string) =>
  (await (await fetch(`${base}/api/batches/${id}`, { headers: { authorization: `Bearer ${POS}` } })).json()) as {
    phase: string;
    counts: Record<string, number>;
  };

const number = (i: number) => `+4474006${String(i).padStart(5, '0')}`;

test(`SIGKILL the batch's web process 3 times and the worker twice: ${ROWS} rows, each pushed once`, {
  // Processes started and killed on a shared 2-core box: more than the suite's default 90 s.
  timeout: 240_000,
}, async () => {
  let w = await web();
  let worker = runNode('src/main/worker.js', env);
  const csv = ['msisdn,pin', ...Array.from({ length: ROWS }, (_, i) => `${number(i)},${String(700000 + i)}`)].join(
    '\n',
  );
  const res = await fetch(`${base}/api/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${POS}`, 'content-type': 'text/csv' },
    body: csv,
  });
  assert.equal(res.status, 202, await res.clone().text());
  const id = ((await res.json()) as { batchId: string }).batchId;
  try {
    for (let kill = 0; kill < 5; kill++) {
      const before = peers.smsc.received.length;
      await waitFor('pushes going out', () => peers.smsc.received.length > before + 3, 20_000);
      if (kill === 1 || kill === 3) {
        worker.child.kill('SIGKILL');
        await worker.exit();
        worker = runNode('src/main/worker.js', env);
      } else {
        w.child.kill('SIGKILL');
        await w.exit();
        w = await web();
      }
    }
    const done = await waitFor(
      'batch done',
      async () => ((await batch(id)).phase === 'done' ? batch(id) : null),
      60_000,
    );
    assert.equal(done.counts.delivered, ROWS, JSON.stringify(done));
  } finally {
    w.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await Promise.all([w.exit(), worker.exit()]);
  }
  const refs = new Map<string, Set<number>>();
  for (const r of peers.smsc.received.filter((x) => x.dataCoding === 0x04)) {
    const set = refs.get(r.destinationAddr) ?? new Set<number>();
    set.add(splitUdh(r.shortMessage).concat!.ref);
    refs.set(r.destinationAddr, set);
  }
  assert.equal(refs.size, ROWS, 'every row reached the SMSC');
  for (const [dest, set] of refs) assert.equal(set.size, 1, `${dest}: one push, not two`);
  const conn = createRedis(peers.redis.url, 'fast');
  const store = new BootstrapStore(conn, TEST_KEY);
  for (let i = 0; i < ROWS; i++)
    assert.equal((await store.idsForMsisdn(number(i))).length, 1, `${number(i)}: one bootstrap`);
  conn.disconnect();
});
