/**
 * The pipeline benchmark's floor: the least work one push takes on the wire, in a process of its
 * own. Per push: one HTTP POST of a ready-made, signed registration to the DM stand-in (its 2xx
 * awaited), then three submit_sm on one SMPP transceiver (their responses awaited), then the three
 * deliver_sm receipts answered. No queue, no Redis, no codec, no checks: the bodies and segments
 * are built before the clock starts. Same peers, concurrency and window as bootline's worker.
 *
 * argv[2]: JSON { smscPort, dmUrl, secret, pushes, concurrency, window, segments: hex[] }.
 * Prints "ready" once bound, then reads "go" and answers one JSON line { ms } when done.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import smpp from 'smpp';

interface Options {
  readonly smscPort: number;
  readonly dmUrl: string;
  readonly secret: string;
  readonly pushes: number;
  readonly concurrency: number;
  readonly window: number;
  readonly segments: readonly string[];
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const segments = o.segments.map((h) => Buffer.from(h, 'hex'));
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One signed registration per push, as the worker sends it (bootstrap id, number, two APPAUTH sets). */
function registration(i: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    bootstrapId: `bs-floor-${i}`,
    msisdn: `+4475${String(i).padStart(8, '0')}`,
    serverId: 'com.example.dm',
    appAuth: ['APPSRV', 'CLIENT'].map((level) => ({
      AAUTHLEVEL: level,
      AAUTHTYPE: 'DIGEST',
      AAUTHNAME: `floor-${level}-${i}`,
      AAUTHSECRET: 'c2VjcmV0c2VjcmV0c2VjcmV0',
      AAUTHDATA: 'bm9uY2Vub25jZW5vbmNlbm9uY2U=',
    })),
  });
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v1=' + createHmac('sha256', o.secret).update(`${ts}.${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-bootline-timestamp': String(ts),
      'x-bootline-signature': sig,
    },
  };
}

function post(reg: { body: string; headers: Record<string, string> }): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(o.dmUrl, { method: 'POST', agent, headers: reg.headers }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`DM ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(reg.body);
  });
}

const session = smpp.connect({ host: '127.0.0.1', port: o.smscPort });
await new Promise<void>((resolve, reject) => {
  session.on('connect', () =>
    session.send(new smpp.PDU('bind_transceiver', { system_id: 'floor', password: 'floorpass' }), (pdu) =>
      pdu.command_status === 0 ? resolve() : reject(new Error(`bind ${pdu.command_status}`)),
    ),
  );
  session.on('error', reject);
});

/** Receipts answered so far, and who waits for a count of them. */
let receipts = 0;
let receiptsWanted: { n: number; done: () => void } | null = null;
session.on('deliver_sm', (pdu: smpp.PDU) => {
  session.send(pdu.response());
  receipts++;
  if (receiptsWanted && receipts >= receiptsWanted.n) receiptsWanted.done();
});
const allReceipts = (n: number) =>
  receipts >= n ? Promise.resolve() : new Promise<void>((done) => (receiptsWanted = { n, done }));

let inFlight = 0;
const waiting: Array<() => void> = [];
async function submit(dest: string, short: Buffer): Promise<void> {
  if (inFlight >= o.window) await new Promise<void>((r) => waiting.push(r));
  inFlight++;
  try {
    const resp = await new Promise<smpp.PDU>((resolve) =>
      session.send(
        new smpp.PDU('submit_sm', {
          source_addr: 'BOOTLINE',
          source_addr_ton: 5,
          destination_addr: dest,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          esm_class: 0x40,
          data_coding: 0x04,
          registered_delivery: 1,
          short_message: short,
        }),
        resolve,
      ),
    );
    if (resp.command_status !== 0) throw new Error(`submit_sm ${resp.command_status}`);
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

async function push(i: number, reg: { body: string; headers: Record<string, string> }): Promise<void> {
  await post(reg);
  const dest = `4475${String(i).padStart(8, '0')}`;
  await Promise.all(segments.map((short) => submit(dest, short)));
}

const regs = Array.from({ length: o.pushes }, (_, i) => registration(i));
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') break;
  const t0 = performance.now();
  const before = receipts;
  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < regs.length) {
        const i = next++;
        await push(i, regs[i]!);
      }
    }),
  );
  const ms = performance.now() - t0;
  await allReceipts(before + regs.length * segments.length);
  process.stdout.write(JSON.stringify({ ms }) + '\n');
}
session.close();
process.exit(0);
