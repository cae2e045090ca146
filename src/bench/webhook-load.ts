/**
 * The load generator of the webhook benchmark, run as its own process (so its CPU use does
 * not slow the server's event loop): autocannon POSTs Twilio-shaped, correctly signed
 * "call comes in" webhooks, each for a new CallSid and with Twilio's idempotency token, to
 * the URL it is given, and prints one JSON line with requests/s and latency percentiles.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import twilio from 'twilio';

interface LoadArgs {
  readonly url: string;
  readonly signedUrl: string;
  readonly token: string;
  readonly seconds: number;
  readonly connections: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
const prefix = randomBytes(8).toString('hex');
let n = 0;

function signedRequest(): { body: string; headers: Record<string, string> } {
  const params = {
    AccountSid: 'AC' + '0'.repeat(32), ApiVersion: '2010-04-01', CallSid: 'CA' + prefix + (n++).toString(16).padStart(16, '0'),
    CallStatus: 'ringing', Direction: 'inbound', From: '+447400000001', To: '+448000000000',
  };
  const signature = twilio.getExpectedTwilioSignature(args.token, args.signedUrl, params);
  // Twilio sends an idempotency token with every webhook; bootline keeps each answer under it for retries.
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': `${prefix}-${n}` };
  return { body: new URLSearchParams(params).toString(), headers };
}

const result = await autocannon({
  url: args.url, connections: args.connections, duration: args.seconds,
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...signedRequest() }) }],
});
process.stdout.write(JSON.stringify({
  rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total,
}) + '\n');
