/**
 * The load generator of the webhook benchmark, run as its own process (so its CPU use does
 * not slow the server's event loop): autocannon POSTs Twilio-shaped, correctly signed
 * webhooks, each call with a new CallSid and every request with Twilio's idempotency token,
 * to the server it is given, and prints one JSON line with requests/s and latency percentiles.
 * Mixes: `new` — "call comes in" only; `keypress` — a call's first two webhooks, the call
 * coming in and then the caller pressing 1 at the language menu (state read, turn, state written).
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import twilio from 'twilio';

export type Mix = 'new' | 'keypress';

interface LoadArgs {
  readonly base: string;
  readonly signedBase: string;
  readonly token: string;
  readonly seconds: number;
  readonly connections: number;
  readonly mix: Mix;
}

const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
const prefix = randomBytes(8).toString('hex');
let n = 0;
let calls = 0;
type Ctx = { callSid?: string };

function signed(
  path: string,
  extra: Record<string, string>,
  callSid: string,
): { method: 'POST'; path: string; body: string; headers: Record<string, string> } {
  const params = {
    AccountSid: 'AC' + '0'.repeat(32),
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'in-progress',
    Direction: 'inbound',
    From: '+447400000001',
    To: '+448000000000',
    ...extra,
  };
  const signature = twilio.getExpectedTwilioSignature(args.token, args.signedBase + path, params);
  // Twilio sends an idempotency token with every webhook; bootline keeps each answer under it for retries.
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': signature,
    'i-twilio-idempotency-token': `${prefix}-${n++}`,
  };
  return { method: 'POST', path, body: new URLSearchParams(params).toString(), headers };
}

/**
 * Answers are checked, not only counted: a new call must hear the language menu and a keypress
 * the number prompt (an apology with status 200 would otherwise pass as throughput).
 */
let wrong = 0;
const expect = (marker: string) => (status: number, body: string) => {
  if (status === 200 && !body.includes(marker)) wrong++;
};

const incoming = {
  onResponse: expect('step=language'),
  setupRequest: (req: object, ctx: Ctx) => {
    ctx.callSid = 'CA' + prefix + (calls++).toString(16).padStart(16, '0');
    return { ...req, ...signed('/voice/incoming', { CallStatus: 'ringing' }, ctx.callSid) };
  },
};
const keypress = {
  onResponse: expect('step=number'),
  setupRequest: (req: object, ctx: Ctx) => ({
    ...req,
    ...signed('/voice/input?step=language&t=0', { Digits: '1' }, ctx.callSid!),
  }),
};

const result = await autocannon({
  url: args.base,
  connections: args.connections,
  duration: args.seconds,
  requests: args.mix === 'keypress' ? [incoming, keypress] : [incoming],
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + wrong,
    total: result.requests.total,
  }) + '\n',
);
