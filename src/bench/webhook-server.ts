/**
 * The servers of the webhook benchmark, in a process of their own started with the web's
 * Procfile flags (as deployed): bootline's app (createApp with the voice engine on a private
 * Redis) and two baselines answering the TwiML the app renders for a new call as a constant:
 * a bare Express route (the baseline) and a bare node:http server. argv: JSON { token }.
 * Prints one JSON line { real, bare, node } with the three URLs, then serves until SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createApp } from '../app/http.js';
import { listenLoopback } from '../platform/http/loopback.js';
import { silentLogger } from '../platform/logger.js';
import { createRedis } from '../platform/redis/client.js';
import { startPrivateRedis } from '../dev/redis.js';
import { createVoiceEngine } from '../voice/create.js';
import { FlowRegistry } from '../voice/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const { token } = JSON.parse(process.argv[2] ?? '{}') as { token: string };
const BASE = 'http://bench.invalid';

const listen = async (server: Server) => `http://127.0.0.1:${await listenLoopback(server, 0)}`;

const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-'));
const redisProc = await startPrivateRedis({ dir, durable: false });
const redis = createRedis(redisProc.url, 'fast', { enableAutoPipelining: true }); // as main/web.ts
const flows = FlowRegistry.fromDirectory(join(here, '..', '..', '..', 'voice-flows'));
const engine = createVoiceEngine({
  redis,
  flows,
  services: {
    publicBaseUrl: BASE,
    pinLength: 6,
    sealKey: Buffer.alloc(32, 1),
    logger: silentLogger(),
    enqueueBootstrap: () => Promise.reject(new Error('not in this benchmark')),
    sendText: () => Promise.reject(new Error('not in this benchmark')),
    bootstrapStatus: async () => null,
  },
});
const app = createApp({
  config: { publicBaseUrl: BASE, twilioAuthToken: token },
  logger: silentLogger(),
  engine,
  readiness: async () => ({}),
});
// The constants the real routes render — a new call, then its caller pressing 1 at the
// language menu — so the baselines answer the same bytes.
const sample = { callSid: 'CA' + 'f'.repeat(32) };
const first = await engine.incoming(sample, 'bootstrap');
const second = await engine.input({ ...sample, digits: '1' }, 'language', 0);
if (first.kind !== 'twiml' || second.kind !== 'twiml')
  throw new Error(`expected TwiML, got ${first.kind} and ${second.kind}`);
const answers: Record<string, string> = { '/voice/incoming': first.body, '/voice/input': second.body };
const bare = express();
for (const [path, twiml] of Object.entries(answers))
  bare.post(path, (_req, res) => {
    res.type('text/xml').send(twiml);
  });
// A second, stricter baseline: Node's own HTTP server answering the constants (bootline's
// webhooks are answered before Express, so this is the floor they are measured against too).
const node = createServer((req, res) => {
  const twiml = answers[(req.url ?? '').split('?')[0]!] ?? '';
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(twiml);
  });
});
for (let i = 0; i < 200 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 25));
process.stdout.write(
  JSON.stringify({
    real: await listen(createServer(app)),
    bare: await listen(createServer(bare)),
    node: await listen(node),
  }) + '\n',
);
process.on('SIGTERM', () => {
  redis.disconnect();
  void redisProc.stop().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
