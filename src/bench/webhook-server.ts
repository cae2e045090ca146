/**
 * The servers of the webhook benchmark, in a process of their own started with the web's
 * Procfile flags (as deployed): bootline's web (createWeb on a private Redis, served by its
 * request listener, as main/web.ts serves it) and two baselines answering the TwiML the app
 * renders as constants: a bare Express route and a bare node:http server. argv: JSON { token }.
 * Prints one JSON line { real, bare, node } with the three URLs, then serves until SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createWeb } from '../app/web.js';
import { loadConfig } from '../config/config.js';
import { listenLoopback } from '../platform/http/loopback.js';
import { startPrivateRedis } from '../dev/redis.js';

const here = dirname(fileURLToPath(import.meta.url));
const { token } = JSON.parse(process.argv[2] ?? '{}') as { token: string };
const BASE = 'http://bench.invalid';

const listen = async (server: Server) => `http://127.0.0.1:${await listenLoopback(server, 0)}`;

const dir = mkdtempSync(join(tmpdir(), 'bootline-bench-'));
const redisProc = await startPrivateRedis({ dir, durable: false });
const web = createWeb(
  loadConfig({
    REDIS_URL: redisProc.url,
    PUBLIC_BASE_URL: BASE,
    TWILIO_AUTH_TOKEN: token,
    // Not reached by the two webhooks measured (a new call, the language menu's key).
    SMPP_URL: 'smpp://bench:bench@127.0.0.1:1',
    DM_SERVER_URL: 'https://dm.bench.invalid/dm',
    DM_SERVER_ID: 'bench',
    DATA_ENCRYPTION_KEY: '01'.repeat(32),
    FLOWS_DIR: join(here, '..', '..', '..', 'voice-flows'),
    FLOWS_RELOAD: 'off',
    LOG_LEVEL: 'silent',
    ...(process.env.CALL_TRACE_DAYS ? { CALL_TRACE_DAYS: process.env.CALL_TRACE_DAYS } : {}),
  }),
);
const { engine, redis } = web;
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
    real: await listen(createServer(web.listener)),
    bare: await listen(createServer(bare)),
    node: await listen(node),
  }) + '\n',
);
process.on('SIGTERM', () => {
  void web
    .close()
    .catch(() => undefined)
    .then(() => redisProc.stop())
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
