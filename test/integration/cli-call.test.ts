// `bootline call` against nothing: where it looks for the hotline and the Redis it reads codes
// from, and what it says when neither answers. Simulated calls present a fresh caller ID each.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testCallerId } from '../../src/console/simulator/caller-id.js';
import { CallSimulator } from '../../src/console/simulator/call.js';
import { freePort } from '../../src/dev/redis.js';
import { bootline } from '../helpers/cli.js';

const TOKEN = { TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef' };

test('bootline call takes the port from PORT and says which URL it could not reach and what to set', async () => {
  const port = await freePort();
  await assert.rejects(
    bootline(['call', '--keys', '1'], { ...TOKEN, PORT: String(port) }),
    new RegExp(
      `could not reach bootline at http://localhost:${port} \\(ECONNREFUSED\\)\\. Is it running \\(npm start\\)\\? ` +
        'If it listens elsewhere, set PORT or PUBLIC_BASE_URL, or pass --base URL',
    ),
  );
  const other = await freePort();
  await assert.rejects(
    bootline(['call', '--keys', '1'], { ...TOKEN, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${other}/` }),
    new RegExp(`could not reach bootline at http://127\\.0\\.0\\.1:${other} `),
    'PUBLIC_BASE_URL comes first',
  );
});

test('with no PORT set, bootline call finds the URL the running dev stack wrote', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-call-'));
  try {
    const port = await freePort();
    writeFileSync(join(dataDir, 'dev-web-url'), `http://localhost:${port}\n`);
    writeFileSync(join(dataDir, 'dev-auth-token'), `${TOKEN.TWILIO_AUTH_TOKEN}\n`);
    await assert.rejects(
      bootline(['call', '--keys', '1'], { BOOTLINE_DATA_DIR: dataDir }),
      new RegExp(`could not reach bootline at http://localhost:${port} `),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an unreachable Redis ends bootline call with a message in bounded time, not a silent hang', async () => {
  const redisPort = await freePort();
  const env = { ...TOKEN, DATA_ENCRYPTION_KEY: 'ab'.repeat(32), REDIS_TIMEOUT_MS: '1000', PORT: '1' };
  const t0 = Date.now();
  await assert.rejects(
    bootline(['call', '--redis', `redis://127.0.0.1:${redisPort}`, '--keys', '1,07400123456,1,{code},2'], env),
    new RegExp(
      `the Redis at redis://127\\.0\\.0\\.1:${redisPort}, where the code SMS is read, did not answer within 1 s: ` +
        'set REDIS_URL or pass --redis URL',
    ),
  );
  assert.ok(Date.now() - t0 < 5_000, 'within the bound');
  // Without {code} in the script the call goes ahead without SMS, saying why.
  const r = await bootline(['call', '--redis', `redis://127.0.0.1:${redisPort}`, '--keys', '1'], env).catch(
    (err: Error) => ({ err: err.message }),
  );
  assert.match(r.err, /could not reach bootline at http:\/\/localhost:1 /);
});

test('a simulated call presents a fresh test-range caller ID unless one is given, the same on every webhook', async () => {
  const seen: string[] = [];
  const transport = async (_url: string, params: Record<string, string>) => {
    seen.push(params.From!);
    return { status: 200, body: '<Response><Hangup/></Response>' };
  };
  const calls = Array.from({ length: 5 }, () => new CallSimulator({ transport, baseUrl: 'http://x', authToken: 't' }));
  for (const c of calls) {
    await c.dial();
    await c.dial();
  }
  for (const from of seen) assert.match(from, /^\+447700900\d{3}$/, "Ofcom's drama range");
  for (let i = 0; i < seen.length; i += 2) assert.equal(seen[i], seen[i + 1], 'one caller ID per call');
  assert.ok(new Set(seen).size >= 4, `a new caller per call: ${[...new Set(seen)].join(' ')}`);
  assert.equal(calls[0]!.from, testCallerId(calls[0]!.callSid), 'any process can tell the call its caller ID');
  const given = new CallSimulator({ transport, baseUrl: 'http://x', authToken: 't', from: '+447400000009' });
  await given.dial();
  assert.equal(seen.at(-1), '+447400000009');
});
