import type { Socket } from 'node:net';
import type smpp from 'smpp';

/**
 * PDUs sent to one peer in the same turn of the event loop leave in one write (the socket is
 * corked until its check phase, which comes right after the I/O callbacks and never waits for
 * more I/O) instead of one syscall each. Used by bootline's binds (the submits of every push
 * that got to them in this turn, the deliver_sm_resps of every receipt stored in it) and by the
 * dev SMSC (a push's three submit_sm_resps, a burst of receipts): write syscalls were the
 * largest single share of a push's CPU on both sides. `state` is one per session.
 */
export function sendCorked(
  state: { corked?: boolean },
  session: smpp.Session,
  pdu: smpp.PDU,
  cb?: (resp: smpp.PDU) => void,
): boolean {
  const sock = (session as unknown as { socket?: Socket }).socket;
  if (sock && !state.corked) {
    state.corked = true;
    sock.cork();
    setImmediate(() => {
      state.corked = false;
      sock.uncork();
    });
  }
  return cb ? session.send(pdu, cb) : session.send(pdu);
}

/**
 * Writes what a corked session holds now (before a deliberate drop: what was answered goes out
 * first, as before corking).
 */
export function flushCorked(session: smpp.Session): void {
  (session as unknown as { socket?: Socket }).socket?.uncork();
}
