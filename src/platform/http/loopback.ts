import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The local HTTP stand-ins (DM server, subscriber lookup, Twilio REST, dev SMSC control)
 * listen on loopback only and close without waiting for keep-alive clients.
 */

/** Listens on 127.0.0.1 (port 0: any free one); resolves with the port, rejects if it cannot. */
export async function listenLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every connection still open (a keep-alive client would hold it). */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
