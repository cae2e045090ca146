import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from '../../platform/http/loopback.js';
import { maskPhone } from '../../platform/mask.js';
import type { Phone, PhoneFaults } from './phone.js';
import type { HandsetSimulator } from './simulator.js';

const USAGE =
  'GET /handsets, GET /handsets/{msisdn}, POST /pin {"pin","msisdn"?,"waitMs"?}, ' +
  'POST /handsets/{msisdn}/pin {"pin","waitMs"?}, POST /handsets/{msisdn}/faults {"tamper"?,"wrongSecret"?}, ' +
  'GET /events?since=N';
const MAX_BODY = 4_096;
const MAX_WAIT_MS = 120_000;

/** What the control API shows of a phone: no secret, no nonce, the number masked. */
export function phoneView(p: Phone) {
  return {
    msisdn: maskPhone(p.msisdn),
    deviceId: p.devInfo.DevId,
    pending: p.pending
      ? { sec: p.pending.push.sec, profile: p.pending.push.profile, attempts: p.pending.attempts }
      : null,
    accounts: [...p.accounts.values()].map(({ account: a }) => ({
      serverId: a.serverId,
      addr: a.addr,
      aauthPref: a.aauthPref ?? null,
      clientName: a.client.name ?? null,
      profile: a.profile,
    })),
    faults: p.faults,
    last: p.last?.outcome ?? null,
  };
}

interface Req {
  readonly method: string;
  readonly path: string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

async function route(sim: HandsetSimulator, r: Req): Promise<[number, unknown]> {
  const [a, msisdn, action] = r.path;
  const wait = Math.min(Number(r.body.waitMs ?? 30_000) || 0, MAX_WAIT_MS);
  const pin = typeof r.body.pin === 'string' ? r.body.pin : undefined;
  if (r.method === 'GET' && a === 'handsets' && !msisdn) return [200, { handsets: sim.all.map(phoneView) }];
  if (r.method === 'GET' && a === 'handsets' && msisdn && !action) return [200, phoneView(sim.phone(msisdn))];
  if (r.method === 'GET' && a === 'events') {
    const since = Math.max(0, Number(r.query.get('since') ?? 0) || 0);
    return [200, { events: sim.events.slice(since), next: sim.events.length }];
  }
  if (r.method === 'POST' && (a === 'pin' || action === 'pin')) {
    if (!pin) return [400, { error: 'give the PIN the caller heard as "pin"' }];
    const to = a === 'pin' ? (typeof r.body.msisdn === 'string' ? r.body.msisdn : undefined) : msisdn;
    return [200, await sim.enterPin(pin, { ...(to ? { msisdn: to } : {}), waitMs: wait })];
  }
  if (r.method === 'POST' && a === 'handsets' && msisdn && action === 'faults') {
    const p = sim.phone(msisdn);
    const f: PhoneFaults = { tamper: r.body.tamper === true, wrongSecret: r.body.wrongSecret === true };
    p.faults = f;
    return [200, phoneView(p)];
  }
  return [404, { error: USAGE }];
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if ((size += c.length) <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return resolve(null);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      try {
        const v: unknown = text ? JSON.parse(text) : {};
        resolve(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

/**
 * The simulated handsets' control endpoint (loopback only, dev stack only): the call CLI hands
 * a handset the PIN the caller heard; a developer reads what the handsets did and arms faults.
 *   curl -s localhost:PORT/handsets
 *   curl -s -d '{"pin":"123456"}' localhost:PORT/handsets/+447400123456/pin
 *   curl -s -d '{"tamper":true}' localhost:PORT/handsets/+447400123456/faults
 */
export async function startHandsetControl(
  sim: HandsetSimulator,
  port = 0,
): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');
    void readBody(req)
      .then(async (body) => {
        if (body === null) return reply(400, { error: 'the body must be a JSON object of at most 4 KB' });
        const u = new URL(req.url ?? '/', 'http://localhost');
        const path = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        const [status, out] = await route(sim, { method: req.method ?? 'GET', path, query: u.searchParams, body });
        reply(status, out);
      })
      .catch((err: Error) => reply(400, { error: err.message }));
  });
  const p = await listenLoopback(server, port);
  return { port: p, url: `http://127.0.0.1:${p}`, close: () => closeServer(server) };
}
