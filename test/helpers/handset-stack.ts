import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPush, segmentPush, type SecInput } from '../../src/codec/index.js';
import { submitAddress, submitFields } from '../../src/codec/sms/submit-fields.js';
import { freshCredentials } from '../../src/dm/credentials.js';
import { registerDevice, registrationFor, type Registration } from '../../src/dm/register-client.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../../src/dm/signature.js';
import { HandsetSimulator } from '../../src/dev/handset/simulator.js';
import { silentLogger } from '../../src/platform/logger.js';
import { DM_SECRET, type WorkerStack } from './worker-stack.js';

/** What bootline's /api/dm/sessions would receive: each post, and whether its signature verified. */
export interface SignalReceiver {
  readonly url: string;
  readonly posts: Array<{ readonly verified: boolean; readonly body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A local HTTP receiver standing in for bootline's enrolment endpoint: checks the signature,
 * records, answers 202 (401 for a bad signature). `unavailable`: answer 503 to that many posts first.
 */
export async function signalReceiver(secret = DM_SECRET, unavailable = 0): Promise<SignalReceiver> {
  const posts: SignalReceiver['posts'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified =
        req.url === '/api/dm/sessions' &&
        verifyBody(
          secret,
          {
            timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
            signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          },
          raw,
        );
      if (unavailable > 0) {
        unavailable--;
        return void res.writeHead(503).end();
      }
      posts.push({ verified, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(verified ? 202 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Simulated handsets on the worker stack's dev SMSC; dm.example.com resolves to its DM stand-in. */
export function handsetsFor(worker: WorkerStack, imsiOf: (msisdn: string) => string | undefined = () => undefined) {
  const handsets = new HandsetSimulator({
    logger: silentLogger(),
    imsiOf,
    hosts: { 'dm.example.com': worker.dm.hostPort },
  });
  const detach = handsets.attach(worker.smsc);
  return { handsets, detach };
}

export interface InjectedPush {
  readonly registration: Registration;
  /** What the caller would hear: the PIN, or for USERPINMAC the K ‖ m code. */
  readonly heard?: string;
  readonly segments: number;
}

/**
 * A push the worker does not build (the DM profile, USERPINMAC, syncml:auth-MAC accounts),
 * sent the way the worker sends one: credentials registered with the DM stand-in by bootline's
 * signed client, the message built by the codec, every segment submitted over the worker's
 * own SMPP bind to the dev SMSC.
 */
export async function injectPush(
  worker: WorkerStack,
  o: { msisdn: string; profile: 'cp' | 'dm'; sec: SecInput; aauthType?: 'DIGEST' | 'HMAC'; deviceId?: string },
): Promise<InjectedPush> {
  const serverId = worker.config.dmServer.id;
  const id = `bs-inject-${o.msisdn.slice(-6)}-${o.profile}-${o.sec.method}`;
  const c = freshCredentials(serverId, id);
  const type = o.aauthType ?? 'DIGEST';
  const base = registrationFor(id, o.msisdn, serverId, c);
  const registration: Registration = { ...base, appAuth: base.appAuth.map((a) => ({ ...a, AAUTHTYPE: type })) };
  await registerDevice({ url: worker.dm.url, secret: DM_SECRET }, registration);
  const client = { type, name: c.clientName, secret: c.clientSecret, data: c.clientNonce };
  const server = { type, name: c.serverName, secret: c.serverSecret, data: c.serverNonce };
  const built =
    o.profile === 'cp'
      ? buildPush(
          {
            profile: 'cp',
            model: {
              providerId: serverId,
              addr: worker.config.dmServer.url,
              appAuth: [
                { level: 'APPSRV', ...client },
                { level: 'CLIENT', ...server },
              ],
            },
          },
          o.sec,
        )
      : buildPush(
          {
            profile: 'dm',
            model: {
              deviceId: o.deviceId ?? 'IMEI:000000000000000',
              serverId,
              addr: worker.config.dmServer.url,
              aauthPref: type,
              clientAuth: client,
              serverAuth: server,
            },
          },
          o.sec,
        );
  const segments = segmentPush(built.wsp, { reference: 0x5a, registeredDelivery: 0 });
  const address = submitAddress(worker.config.sms.sourceAddr, o.msisdn);
  for (const s of segments) await worker.client.submit(submitFields(s, address));
  const heard = o.sec.method === 'USERPINMAC' ? built.userCode : 'pin' in o.sec ? o.sec.pin : undefined;
  return { registration, ...(heard ? { heard } : {}), segments: segments.length };
}

/** The APPSRV AAUTHNAME bootline registered for a bootstrap: the clientName a signal names. */
export function clientNameOf(reg: Registration | undefined): string | undefined {
  return reg?.appAuth.find((a) => a.AAUTHLEVEL === 'APPSRV')?.AAUTHNAME;
}
