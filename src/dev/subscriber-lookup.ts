import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../dm/signature.js';
import { closeServer, listenLoopback } from '../platform/http/loopback.js';

/**
 * A stand-in for the operator's subscriber lookup (dev stack and tests): a real HTTP server
 * that checks the signature and answers an IMSI. Known numbers come from `imsis`; any other
 * number gets a stable IMSI on the test network MCC 001 / MNC 01 (ITU-T E.212 reserves 001
 * for testing), unless `strict` makes unknown numbers 404.
 */
export class SubscriberStandIn {
  readonly imsis = new Map<string, string>();
  /** Signed requests seen (tests check the IMSI was looked up, not cached in Redis). */
  requests = 0;
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly o: { secret: string; strict?: boolean }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/subscriber/imsi`;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = (status: number, o: object) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
        const headers = {
          timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
          signature: req.headers[SIGNATURE_HEADER] as string | undefined,
        };
        if (req.method !== 'POST' || req.url !== '/subscriber/imsi') return answer(404, { error: 'not found' });
        if (!verifyBody(this.o.secret, headers, body)) return answer(401, { error: 'bad signature' });
        this.requests++;
        const msisdn = (JSON.parse(body) as { msisdn?: string }).msisdn ?? '';
        const imsi = this.imsis.get(msisdn) ?? (this.o.strict ? undefined : this.testImsi(msisdn));
        return imsi ? answer(200, { imsi }) : answer(404, { error: 'unknown subscriber' });
      });
    });
    this.port = await listenLoopback(this.server, port);
    return this.url;
  }

  /** 00101 + 10 digits derived from the number: stable across runs, never a real subscriber. */
  testImsi(msisdn: string): string {
    const h = createHmac('sha256', 'bootline test imsi').update(msisdn).digest();
    return '00101' + String(h.readBigUInt64BE(0) % 10_000_000_000n).padStart(10, '0');
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = null;
  }
}
