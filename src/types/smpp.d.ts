// Minimal typings for the `smpp` npm package (farhadi/node-smpp 0.5.x): only what bootline uses.
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
  }
  export const PDU: { new (command: string, options?: Record<string, unknown>): PDU; fromBuffer(b: Buffer): PDU };

  export class Session extends EventEmitter {
    socket: Socket;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(cb?: () => void): void;
    destroy(cb?: () => void): void;
    pause(): void;
    resume(): void;
    [command: string]: unknown;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export function connect(
    options: { url?: string; host?: string; port?: number; tls?: boolean; auto_enquire_link_period?: number },
    listener?: () => void,
  ): Session;
  export function createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;
  export function createServer(listener: (session: Session) => void): Server;

  export const ESME_ROK: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RSYSERR: number;
  export const ESME_RSUBMITFAIL: number;
}

declare module 'smpp' {
  interface TextEncoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }
  /** GSM 03.38 default alphabet (named ASCII by the package; unpacked septets), Latin-1, UCS-2. */
  export const encodings: { ASCII: TextEncoding; LATIN1: TextEncoding; UCS2: TextEncoding };
}
