import { createServer, type Server } from 'node:http';
import { parseFaults } from './faults.js';
import type { DevSmsc } from './server.js';
import { closeServer, listenLoopback } from '../../platform/http/loopback.js';

/**
 * The dev SMSC's control endpoint for incident rehearsals (loopback only, dev stack only):
 *   curl -s localhost:PORT/faults                          → current switches and counters
 *   curl -s -d 'throttle=5 reject=447400000001' localhost:PORT/faults   → change switches
 *   curl -s -X POST localhost:PORT/drop                    → drop every SMPP connection now
 *   curl -s -X POST localhost:PORT/receipts/release        → send withheld receipts
 */
export async function startSmscControl(smsc: DevSmsc, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');
      try {
        if (req.method === 'POST' && req.url === '/faults')
          smsc.setFaults(parseFaults(Buffer.concat(chunks).toString('utf8'), smsc.faults));
        else if (req.method === 'POST' && req.url === '/drop') smsc.dropConnections();
        else if (req.method === 'POST' && req.url === '/receipts/release') smsc.releaseReceipts();
        else if (!(req.method === 'GET' && req.url === '/faults'))
          return reply(404, { error: 'GET|POST /faults, POST /drop, POST /receipts/release' });
        reply(200, {
          faults: smsc.faults,
          counts: smsc.counts,
          accepted: smsc.received.length,
          sessions: smsc.sessions,
        });
      } catch (err) {
        reply(400, { error: (err as Error).message });
      }
    });
  });
  return { port: await listenLoopback(server, port), close: () => closeServer(server) };
}
