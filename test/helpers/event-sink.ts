import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEvent } from 'cloudevents';
import type { BootstrapStore } from '../../src/deliveries/store/store.js';
import { isStateEvent } from '../../src/deliveries/timeline.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBody } from '../../src/dm/signature.js';
import { waitFor } from './stack.js';

export interface SunkEvent {
  readonly event: CloudEvent<Record<string, unknown>>;
  readonly signed: boolean;
}

/**
 * A subscriber of the outbound event stream as an integrator would run it: a real HTTP server
 * that checks the signature, parses the CloudEvent (structured or binary) with the SDK and
 * counts deliveries per event id. `answer` decides the status (default 204).
 */
export class EventSink {
  readonly events: SunkEvent[] = [];
  answer: (e: CloudEvent<Record<string, unknown>>) => number = () => 204;
  private server: Server | null = null;

  constructor(private readonly secret: string) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signed = verifyBody(
          this.secret,
          { timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string },
          body,
        );
        const event = HTTP.toEvent({ headers: req.headers, body }) as CloudEvent<Record<string, unknown>>;
        const status = this.answer(event);
        if (status < 300) this.events.push({ event, signed });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  /** How many accepted deliveries each event id had. */
  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const e of this.events) m.set(e.event.id, (m.get(e.event.id) ?? 0) + 1);
    return m;
  }

  types(subject: string): string[] {
    return this.events.filter((e) => e.event.subject === subject).map((e) => e.event.type);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/**
 * Waits until every state event on the bootstraps' timelines has reached the sink (by event id,
 * `<bootstrap>-<seq>`), and returns those ids, so a test can then check what else arrived and
 * how often.
 */
export async function stateEventsDelivered(
  sink: EventSink,
  store: BootstrapStore,
  ids: readonly string[],
  timeoutMs = 60_000,
): Promise<Set<string>> {
  const expected = new Set<string>();
  for (const id of ids) for (const e of (await store.timeline(id)).filter(isStateEvent)) expected.add(`${id}-${e.seq}`);
  await waitFor('every state event delivered', () => [...expected].every((id) => sink.counts().has(id)), timeoutMs);
  return expected;
}
