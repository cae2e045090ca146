import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { CallSimulator, fetchTransport, type Turn } from '../sim/call.js';
import type { CliCommand, CliIO } from './io.js';

const HELP = `usage: bootline call [--base URL] [--token T] [--from +E164] [--flow ID] [--keys 07400123456,1]

Places a simulated, signed call against a running bootline (default http://localhost:$PORT,
token from TWILIO_AUTH_TOKEN or the dev stack's .data/dev-auth-token). Prints what the caller
hears; at each prompt type keys and Enter (the # is implied), Enter alone = silence, q = hang up.
--keys plays a comma-separated script instead of asking.
`;

function authToken(io: CliIO, given: string | undefined): string {
  if (given) return given;
  if (io.env.TWILIO_AUTH_TOKEN) return io.env.TWILIO_AUTH_TOKEN;
  const file = join(io.env.BOOTLINE_DATA_DIR ?? join(io.cwd, '.data'), 'dev-auth-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error('no auth token: pass --token, set TWILIO_AUTH_TOKEN, or start the dev stack with npm start');
}

function show(io: CliIO, t: Turn): void {
  if (t.status !== 200) io.stdout.write(`  [HTTP ${t.status}]\n`);
  for (const s of t.says) io.stdout.write(`  🔊 ${s}\n`);
  if (t.hungUp) io.stdout.write('  [call ended]\n');
}

export const run: CliCommand = async (args, io) => {
  const { values } = parseArgs({ args, options: {
    base: { type: 'string' }, token: { type: 'string' }, from: { type: 'string' }, flow: { type: 'string' },
    keys: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  } });
  if (values.help) { io.stdout.write(HELP); return 0; }
  const baseUrl = (values.base ?? io.env.PUBLIC_BASE_URL ?? `http://localhost:${io.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const sim = new CallSimulator({ transport: fetchTransport, baseUrl, authToken: authToken(io, values.token), ...(values.from ? { from: values.from } : {}) });
  io.stdout.write(`Calling ${baseUrl} as ${sim.callSid}\n`);
  let turn = await sim.dial(values.flow ? `/voice/incoming?flow=${encodeURIComponent(values.flow)}` : '/voice/incoming');
  show(io, turn);
  const script = values.keys?.split(',');
  const rl = script ? null : createInterface({ input: io.stdin, output: io.stdout });
  try {
    while (!turn.hungUp) {
      const keys = script ? script.shift() : await rl!.question('keys> ');
      if (keys === undefined || keys.trim() === 'q') { await sim.hangup(); io.stdout.write('  [you hung up]\n'); return 0; }
      turn = await sim.press(keys.trim().replace(/#$/, ''));
      show(io, turn);
    }
    await sim.hangup();
    return 0;
  } finally {
    rl?.close();
  }
};
