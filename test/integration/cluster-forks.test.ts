import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashToken } from '../../src/platform/http/auth.js';
import { freePort } from '../../src/dev/redis.js';
import { runNode, startProcessPeers, type ProcessPeers } from '../helpers/proc.js';
import { waitFor } from '../helpers/stack.js';

// WEB_CONCURRENCY / WORKER_PROCESSES: one command, N copies under a supervisor.
const OPERATOR = 'operator-token-for-fork-tests';
let peers: ProcessPeers;
let smsc: ProcessPeers['smsc'];
let env: Record<string, string>;

before(async () => {
  peers = await startProcessPeers('fork', {
    env: { FLOWS_RELOAD: 'off', API_TOKENS: `operator:${hashToken(OPERATOR)}` },
  });
  ({ smsc, env } = peers);
});
after(() => peers.close());

/**
 * A console call through the shared port, one connection per request: node:cluster hands the
 * connections to either copy, and the call (kept in Redis) carries on whichever answers.
 */
async function consoleCallAcrossCopies(base: string, copies: number[]): Promise<void> {
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json', connection: 'close' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      body: (await res.json()) as { id: string; state: string; lines: Array<{ text: string }> },
    };
  };
  const started = await api('POST', '/api/sim/calls', { flow: 'bootstrap', version: 'published' });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.id;
  let turn = await api('POST', `/api/sim/calls/${id}/keys`, { digits: '1' });
  for (let i = 0; i < 4; i++) {
    // Read back four times, a new connection each: whichever copy answers knows the whole call.
    assert.equal(turn.status, 200, JSON.stringify(turn.body));
    turn = await api('GET', `/api/sim/calls/${id}`);
  }
  assert.equal(turn.status, 200);
  assert.match(turn.body.lines.map((l) => l.text).join('\n'), /Welcome to device setup\./);
  assert.equal((await api('DELETE', `/api/sim/calls/${id}`)).status, 200);
  assert.equal(copies.length, 2);
}

const pids = (out: string, msg: string) =>
  [...out.matchAll(new RegExp(`"pid":(\\d+)[^\\n]*"msg":"${msg}"`, 'g'))].map((m) => Number(m[1]));

test('WEB_CONCURRENCY=2: two copies share the port; a dead copy is replaced; SIGTERM stops all, exit 0', async () => {
  const port = await freePort();
  const web = runNode('src/main/web.js', { ...env, PORT: String(port), WEB_CONCURRENCY: '2' });
  try {
    await waitFor('two copies listening', () => pids(web.out(), 'web listening').length === 2, 30_000);
    const [first, second] = pids(web.out(), 'web listening');
    assert.notEqual(first, second);
    assert.notEqual(first, web.child.pid, 'the supervisor itself does not serve');
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    await consoleCallAcrossCopies(`http://127.0.0.1:${port}`, pids(web.out(), 'web listening'));
    process.kill(first!, 'SIGKILL');
    await waitFor('a third copy listening', () => pids(web.out(), 'web listening').length === 3, 30_000);
    assert.match(web.out(), /web copy exited; starting a new one/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    web.child.kill('SIGTERM');
    assert.equal((await web.exit(20_000)).code, 0, web.out());
    for (const pid of pids(web.out(), 'web listening').slice(1))
      assert.throws(() => process.kill(pid, 0), 'every copy is gone');
  } finally {
    web.child.kill('SIGKILL');
  }
});

test('WORKER_PROCESSES=2: two workers, each with its own SMPP bind', async () => {
  const worker = runNode('src/main/worker.js', { ...env, WORKER_PROCESSES: '2' });
  try {
    await waitFor('two binds', () => pids(worker.out(), 'smpp bound').length === 2 && smsc.sessions === 2, 30_000);
    assert.equal(new Set(pids(worker.out(), 'smpp bound')).size, 2, 'one bind per copy');
    worker.child.kill('SIGTERM');
    assert.equal((await worker.exit(20_000)).code, 0, worker.out());
  } finally {
    worker.child.kill('SIGKILL');
  }
});
