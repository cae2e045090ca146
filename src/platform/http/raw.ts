import type { ServerResponse } from 'node:http';

/**
 * Answers written straight to Node's response, for the routes answered before Express
 * (voice-routes.ts): what `res.status(n).type(…).send(…)` would send, without its per-call lookups.
 */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendTwiml(res: ServerResponse, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.end(body);
}
