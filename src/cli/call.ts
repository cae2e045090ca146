import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { QUEUE_PREFIX } from '../platform/redis/keys.js';
import { maskPhone } from '../platform/mask.js';
import { CallSimulator, fetchTransport, type Turn } from '../console/simulator/call.js';
import { queueInbox, type SmsInbox } from '../console/simulator/inbox.js';
import { describeOutcome, enterHandsetPin, pinHeard } from '../dev/handset/control-client.js';
import { registerDevCall, waitForRedirect } from '../dev/twilio/dev-client.js';
import { baseUrlFor, boundedInbox, devFile, redisAnswers, redisSilence, unreachable } from './call-target.js';
import type { CliCommand, CliIO } from './io.js';

export const HELP = `usage: bootline call [--base URL] [--token T] [--from +E164] [--attested] [--flow ID]
                    [--redis URL] [--keys 1,07400123456,1,{code}] [--with-agent]
                    [--handset URL | --no-handset] [--handset-pin DIGITS]

Places a simulated, signed call against a running bootline (default http://localhost:$PORT,
token from TWILIO_AUTH_TOKEN or the dev stack's .data/dev-auth-token). Prints what the caller
hears and the text SMS (the one-time code) the SMSC accepted for this call; at each prompt
type keys and Enter (the # is implied), Enter alone = silence, q = hang up.

  --keys      play a comma-separated script instead of asking; {code} waits for the code SMS
  --attested  send StirVerstat=TN-Validation-Passed-A (with --from equal to the number typed,
              flows that allow it skip the code)
  --with-agent  the caller is on the phone with a support agent: instead of dialling the
              hotline, wait until an agent hands the call in (POST /api/agent/transfers with
              this CallSid); needs the dev stack's Twilio stand-in (npm start)
  --redis     Redis of the running stack, to read the code SMS (default REDIS_URL or
              redis://127.0.0.1:6379); the SMS text is sealed, opened with DATA_ENCRYPTION_KEY
              or the dev stack's .data/dev-data-key
  --handset   control URL of the dev stack's simulated handsets (default HANDSET_CONTROL_URL or
              .data/dev-handset-url): when the hotline says the PIN, the caller types it into the
              handset, which checks the push and connects to the DM server; the outcome is printed
  --handset-pin  type these digits into the handset instead of the PIN heard (rehearse a wrong PIN)
  --no-handset   do not involve the simulated handset
`;

function authToken(io: CliIO, given: string | undefined): string {
  const token = given ?? io.env.TWILIO_AUTH_TOKEN ?? devFile(io, 'dev-auth-token');
  if (!token)
    throw new Error('no auth token: pass --token, set TWILIO_AUTH_TOKEN, or start the dev stack with npm start');
  return token;
}

/** Redis reads wait this long at most (REDIS_TIMEOUT_MS for a slow link). */
const redisTimeoutMs = (io: CliIO) => Number(io.env.REDIS_TIMEOUT_MS) || 5_000;

/** The code-SMS inbox, when the data key is at hand and the stack's Redis answers. */
async function inboxFor(io: CliIO, redis: string | undefined, needed: boolean): Promise<SmsInbox | undefined> {
  const hex = io.env.DATA_ENCRYPTION_KEY ?? devFile(io, 'dev-data-key');
  if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const redisUrl = redis ?? io.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const ms = redisTimeoutMs(io);
  if (await redisAnswers(redisUrl, ms))
    return boundedInbox(queueInbox({ redisUrl, prefix: QUEUE_PREFIX, key: Buffer.from(hex, 'hex') }), redisUrl, ms);
  // A script that types {code} cannot go on; a person at the prompt can still try the call.
  if (needed) throw new Error(redisSilence(redisUrl, ms));
  io.stderr.write(`bootline call: SMS not shown: ${redisSilence(redisUrl, ms)}\n`);
  return undefined;
}

function show(io: CliIO, t: Turn): void {
  if (t.status !== 200) io.stdout.write(`  [HTTP ${t.status}]\n`);
  if (t.transfer)
    io.stdout.write(`  [transferred to an agent: ${t.transfer.verb} ${t.transfer.target || '(TaskRouter)'}]\n`);
  else if (t.hungUp) io.stdout.write('  [call ended]\n');
}

/** Prints SMS not shown yet; returns how many have been shown in all. */
async function showTexts(io: CliIO, sim: CallSimulator, shown: number): Promise<number> {
  const texts = await sim.texts().catch(() => []);
  for (const s of texts.slice(shown)) io.stdout.write(`  📱 SMS to ${maskPhone(s.to)}: ${s.text}\n`);
  return Math.max(shown, texts.length);
}

/** --with-agent: the call starts with an agent, and enters bootline when the agent hands it in. */
async function handedIn(io: CliIO, sim: CallSimulator): Promise<Turn> {
  const standIn = io.env.TWILIO_API_BASE_URL ?? devFile(io, 'dev-twilio-url');
  if (!standIn)
    throw new Error('--with-agent needs the Twilio stand-in of the dev stack (npm start) or TWILIO_API_BASE_URL');
  await registerDevCall(standIn, sim.callSid);
  io.stdout.write(
    `  [with an agent; hand the call in: POST /api/agent/transfers {"callSid":"${sim.callSid}","number":"+44…"}]\n`,
  );
  const { url, fallbackUrl } = await waitForRedirect(standIn, sim.callSid, 10 * 60_000);
  io.stdout.write('  [handed in by the agent]\n');
  return sim.redirectTo(url, fallbackUrl);
}

/**
 * The caller's phone: once the hotline says the PIN, it is typed into the simulated handset
 * (the number is the one the code SMS went to, else the handset that got the last push).
 */
function handsetFor(
  io: CliIO,
  sim: CallSimulator,
  v: { handset?: string; 'no-handset'?: boolean; 'handset-pin'?: string },
) {
  const url = v['no-handset'] ? undefined : (v.handset ?? io.env.HANDSET_CONTROL_URL ?? devFile(io, 'dev-handset-url'));
  let task: Promise<void> | undefined;
  return {
    heard(says: readonly string[]): void {
      const pin = pinHeard(says);
      if (!url || !pin || task) return;
      task = sim
        .texts()
        .catch(() => [])
        .then((texts) => enterHandsetPin(url, v['handset-pin'] ?? pin, { msisdn: texts.at(-1)?.to }))
        .then(
          (o) => void io.stdout.write(`  📱 ${describeOutcome(o)}\n`),
          (err: Error) => void io.stdout.write(`  📱 handset not reached: ${err.message}\n`),
        );
    },
    done: () => task ?? Promise.resolve(),
  };
}

export const run: CliCommand = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      base: { type: 'string' },
      token: { type: 'string' },
      from: { type: 'string' },
      flow: { type: 'string' },
      attested: { type: 'boolean' },
      redis: { type: 'string' },
      keys: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'with-agent': { type: 'boolean' },
      handset: { type: 'string' },
      'no-handset': { type: 'boolean' },
      'handset-pin': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const baseUrl = baseUrlFor(io, values.base);
  const token = authToken(io, values.token);
  const inbox = await inboxFor(io, values.redis, values.keys?.includes('{code}') ?? false);
  const sim = new CallSimulator({
    transport: fetchTransport,
    baseUrl,
    authToken: token,
    ...(values.from ? { from: values.from } : {}),
    extra: { BootlineSource: 'simulator', ...(values.attested ? { StirVerstat: 'TN-Validation-Passed-A' } : {}) },
    ...(inbox ? { inbox } : {}),
    // Said as it is heard (a hold can last a minute); the PIN goes to the handset while the caller holds.
    onHeard: (says) => {
      for (const s of says) io.stdout.write(`  🔊 ${s}\n`);
      handset.heard(says);
    },
  });
  io.stdout.write(
    `Calling ${baseUrl} as ${sim.callSid} from ${maskPhone(sim.from)}` +
      `${inbox ? '' : ' (SMS not shown: no DATA_ENCRYPTION_KEY or no Redis)'}\n`,
  );
  const script = values.keys?.split(',');
  const rl = script ? null : createInterface({ input: io.stdin, output: io.stdout });
  // One SMS check at a time, so the background poll and the loop never print an SMS twice.
  let shown = 0;
  let checking = Promise.resolve();
  const refresh = () =>
    (checking = checking.then(async () => {
      shown = await showTexts(io, sim, shown);
    }));
  const handset = handsetFor(io, sim, values);
  const poll = rl ? setInterval(() => void refresh(), 1_000) : null;
  try {
    let turn = values['with-agent']
      ? await handedIn(io, sim)
      : await sim.dial(values.flow ? `/voice/incoming?flow=${encodeURIComponent(values.flow)}` : '/voice/incoming');
    show(io, turn);
    while (turn.gather) {
      await refresh();
      let keys = script ? script.shift() : await rl!.question('keys> ');
      if (keys === undefined || keys.trim() === 'q') {
        io.stdout.write('  [you hung up]\n');
        break;
      }
      if (keys.trim() === '{code}') {
        keys = await sim.waitForCode({ timeoutMs: 20_000 });
        await refresh();
        io.stdout.write(`keys> ${keys}\n`);
      }
      turn = await sim.press(keys.trim().replace(/#$/, ''));
      show(io, turn);
    }
    await sim.hangup();
    await handset.done();
    return 0;
  } catch (err) {
    throw unreachable(baseUrl, err) ?? err;
  } finally {
    if (poll) clearInterval(poll);
    await checking;
    rl?.close();
    await inbox?.close?.();
  }
};
