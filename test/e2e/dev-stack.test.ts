import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { freePort, redisAnswers } from '../../src/dev/redis.js';
import { runNode } from '../helpers/proc.js';

test('npm start with no configuration runs the whole stack; a simulated call ends with the handset enrolled', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-devstack-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  // Only PATH and the dev-only knobs that keep the test off the developer's Redis and .data/.
  const stack = runNode('src/main/dev-stack.js', {
    PORT: String(port),
    DEV_REDIS_PORT: String(redisPort),
    BOOTLINE_DATA_DIR: dataDir,
  });
  try {
    const [, url] = await stack.waitFor(/POST (http:\/\/localhost:\d+)\/voice\/incoming/, 60_000);
    // The banner invites a call only once the web can answer one.
    assert.equal((await fetch(`${url}/readyz`)).status, 200, 'the web is ready when the banner says it is running');
    // It made its own secrets: the per-caller and per-destination limits are relaxed, and it says which.
    assert.match(stack.out(), /Limits relaxed for trying things/);
    assert.match(stack.out(), /LIMITS_CODES=caller=60\/1h,destination=30\/1h,prefix=60\/1h/);
    assert.match(stack.out(), /LIMITS_BOOTSTRAPS=caller=60\/1h,destination=30\/1h,prefix=60\/1h/);
    const [, token] = await stack.waitFor(/Dev auth token \(TWILIO_AUTH_TOKEN\):\s+([0-9a-f]{32})/);
    const [, apiToken] = await stack.waitFor(/\(operator token\):\s+([0-9a-f]{32})/);
    await stack.waitFor(/started private redis-server/);
    await stack.waitFor(/smpp bound/);
    await stack.waitFor(/web listening/);
    assert.match(stack.out(), /npm run call/);

    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    const code = await main(
      ['call', '--base', url!, '--redis', `redis://127.0.0.1:${redisPort}`, '--keys', '1,07400123456,1,{code}'],
      {
        stdin: new PassThrough(),
        stdout: out,
        stderr: out,
        env: { BOOTLINE_DATA_DIR: dataDir },
        cwd: dataDir,
      },
    );
    assert.equal(code, 0, printed);
    assert.match(printed, /📱 SMS to \+44\*{7}456: Your bootline code is \d{6}\. It expires in 5 minutes\./);
    assert.match(printed, /Your PIN is \d \d \d, \d \d \d\./);
    // The caller typed the PIN heard into the simulated handset, which connected to the DM stand-in
    // while the caller held (wait-for-enrolment: ENROLMENT_WINDOW_S defaults on in the dev stack)…
    assert.match(
      printed,
      /📱 handset \+44\*{7}456: PIN accepted, DM account bootline-dev stored, connected to device management \(212\)/,
    );
    // …and the caller heard so after the receipt, then goodbye: no PIN menu, no agent.
    assert.match(
      printed,
      /🔊 The settings have been sent to your phone\.\n[\s\S]*🔊 Your phone has connected to device management\. It is ready to use\.\n {2}🔊 Thank you for calling\. Goodbye\./,
    );
    assert.doesNotMatch(printed, /has not connected yet|connect you to an agent/);
    const [, callSid] = /as (CA[0-9a-f]{32})/.exec(printed)!;
    const status = await fetch(`${url}/api/bootstraps/bs-${callSid}`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    const view = (await status.json()) as { status: string };
    assert.equal(status.status, 200, JSON.stringify(view));
    assert.equal(view.status, 'enrolled', JSON.stringify(view));
    await stack.waitFor(/dm stand-in: device authenticated/);
    await stack.waitFor(/enrolment signal/);
    assert.ok(token);
    await stack.waitFor(/dev smsc received submit_sm.*|"msg":"dev smsc received submit_sm"/);
    await stack.waitFor(/bootstrap submitted/);
    assert.doesNotMatch(stack.out(), /447400123456/, 'numbers are masked in every log line');

    stack.child.kill('SIGTERM');
    const { code: exitCode } = await stack.exit(20_000);
    assert.equal(exitCode, 0);
    assert.equal(await redisAnswers('127.0.0.1', redisPort), false, 'private redis stopped with the stack');
  } finally {
    stack.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start with TWILIO_AUTH_TOKEN set uses it and never prints it (only a token it made itself)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-devstack-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  const secret = 'a-real-account-auth-token-0f9e8d7c';
  const stack = runNode('src/main/dev-stack.js', {
    PORT: String(port),
    DEV_REDIS_PORT: String(redisPort),
    BOOTLINE_DATA_DIR: dataDir,
    TWILIO_AUTH_TOKEN: secret,
  });
  try {
    await stack.waitFor(/Auth token \(TWILIO_AUTH_TOKEN\):\s+the one you set \(not printed\)/, 30_000);
    // The web and worker log their start too (slowly on a loaded machine): nothing of theirs prints it either.
    await stack.waitFor(/web listening/, 60_000);
    await stack.waitFor(/smpp bound/, 30_000);
    assert.ok(!stack.out().includes(secret), 'the supplied token is nowhere in the output');
    await stack.waitFor(/Place a simulated call/, 30_000);
    assert.doesNotMatch(stack.out(), /Limits relaxed|LIMITS_/, "a real account's secret: production limits");
    stack.child.kill('SIGTERM');
    assert.equal((await stack.exit(20_000)).code, 0);
  } finally {
    stack.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start on a box without redis-server sets it up the way npm test does', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-devstack-'));
  const bin = mkdtempSync(join(tmpdir(), 'bootline-devstack-bin-'));
  const which = (b: string) => spawnSync('sh', ['-c', `command -v ${b}`], { encoding: 'utf8' }).stdout.trim();
  const [sh, ln, redis] = [which('sh'), which('ln'), which('redis-server')];
  // A PATH with a shell and an apt-get whose "install" puts the real redis-server on it.
  symlinkSync(sh, join(bin, 'sh'));
  writeFileSync(
    join(bin, 'apt-get'),
    `#!${sh}\nif [ "$1" = install ]; then ${ln} -s ${redis} ${bin}/redis-server; fi\n`,
  );
  chmodSync(join(bin, 'apt-get'), 0o755);
  const [port, redisPort] = [await freePort(), await freePort()];
  const stack = runNode('src/main/dev-stack.js', {
    PATH: bin,
    PORT: String(port),
    DEV_REDIS_PORT: String(redisPort),
    BOOTLINE_DATA_DIR: dataDir,
  });
  try {
    if (process.getuid?.() === 0) {
      await stack.waitFor(/installing Debian packages npm start needs: redis-server/, 30_000);
      await stack.waitFor(/started private redis-server/, 60_000);
      await stack.waitFor(/bootline is running/, 60_000);
      stack.child.kill('SIGTERM');
      assert.equal((await stack.exit(20_000)).code, 0);
    } else {
      assert.equal((await stack.exit(60_000)).code, 1);
      assert.match(
        stack.out(),
        /npm start needs these Debian packages: redis-server\n {2}sudo apt-get install -y redis-server/,
      );
    }
  } finally {
    stack.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }
});
