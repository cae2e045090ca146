import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { freePort } from '../../src/dev/redis.js';
import { runNode } from '../helpers/proc.js';
import { waitFor } from '../helpers/stack.js';

test('npm start supports hand-ins: a call with an agent is handed in over the Twilio stand-in and finishes in the flow', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootline-agent-devstack-'));
  const [port, redisPort] = [await freePort(), await freePort()];
  const stack = runNode('src/main/dev-stack.js', {
    PORT: String(port),
    DEV_REDIS_PORT: String(redisPort),
    BOOTLINE_DATA_DIR: dataDir,
  });
  try {
    const [, url] = await stack.waitFor(/POST (http:\/\/localhost:\d+)\/voice\/incoming/);
    const [, apiToken] = await stack.waitFor(/\(operator token\):\s+([0-9a-f]{32})/);
    await stack.waitFor(/Agent hand-ins go to the local Twilio REST stand-in/);
    await stack.waitFor(/smpp bound/);
    await stack.waitFor(/web listening/);

    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    const call = main(
      ['call', '--base', url!, '--redis', `redis://127.0.0.1:${redisPort}`, '--with-agent', '--keys', '1,{code},2'],
      {
        stdin: new PassThrough(),
        stdout: out,
        stderr: out,
        env: { BOOTLINE_DATA_DIR: dataDir },
        cwd: dataDir,
      },
    );
    const [, callSid] = await waitFor('the CLI call waiting for its agent', () =>
      /POST \/api\/agent\/transfers \{"callSid":"(CA[0-9a-f]{32})"/.exec(printed),
    );
    const res = await fetch(`${url}/api/agent/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callSid, number: '+447400123456', language: 'en', agentId: 'dev-agent' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(await call, 0, printed);
    assert.match(printed, /\[handed in by the agent\]/);
    assert.match(printed, /You entered 0 7 4 0 0, 1 2 3 4 5 6\./);
    assert.match(printed, /Your PIN is \d \d \d, \d \d \d\./);
    assert.match(
      printed,
      /Please hold while we put you back through to your agent\.\n\s+\[transferred to an agent: Enqueue support\]/,
    );
    await stack.waitFor(/bootstrap submitted/);
    assert.doesNotMatch(stack.out(), /447400123456/, 'numbers are masked in every log line');
    stack.child.kill('SIGTERM');
    assert.equal((await stack.exit(20_000)).code, 0);
  } finally {
    stack.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
