import type { Socket } from 'node:net';
import type smpp from 'smpp';

/**
 * PDUs sent to one peer in the same turn of the event loop leave in one write (the socket is
 * corked until its check phase), as bootline's own binds do: a push's three submit_sm_resps, a burst of receipts.
 * The dev SMSC shares the benchmark's box with the worker; a syscall per PDU was a large
 * share of its CPU, and one read per PDU of the worker's.
 */
export function sendCorked(state: { corked?: boolean }, session: smpp.Session, pdu: smpp.PDU, cb?: (resp: smpp.PDU) => void): void {
  const sock = (session as unknown as { socket?: Socket }).socket;
  if (sock && !state.corked) {
    state.corked = true;
    sock.cork();
    setImmediate(() => { state.corked = false; sock.uncork(); });
  }
  if (cb) session.send(pdu, cb); else session.send(pdu);
}

/** Writes what a corked session holds now (before a deliberate drop: what was answered goes out first, as before corking). */
export function flushCorked(session: smpp.Session): void {
  (session as unknown as { socket?: Socket }).socket?.uncork();
}
