import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { sendText } from '../platform/http/raw.js';

const FORM_LIMIT = 16 * 1024;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export type Form = Record<string, string | string[] | undefined>;

/**
 * Twilio's webhook body: a small UTF-8 form, never compressed. Read and parsed here rather
 * than with body-parser, which costs a webhook ~15% of its throughput for features Twilio
 * never sends (content encodings, charsets); the limits are the same (16 kB, 200 fields).
 * Repeated fields become arrays, as with body-parser, and are then refused as odd values.
 * `done` gets the form, or is never called when the request was answered here (413, 400).
 * A body of another type is an empty form: the signature check then refuses it.
 */
export function readTwilioForm(req: IncomingMessage, res: ServerResponse, done: (form: Form) => void): void {
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) {
    done({});
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= FORM_LIMIT) chunks.push(c);
    else if (!res.headersSent) sendText(res, 413, 'request body too large\n', { Connection: 'close' });
  });
  req.on('end', () => {
    if (size <= FORM_LIMIT)
      done(
        parseForm((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'), '&', '=', {
          maxKeys: 200,
        }),
      );
  });
  req.on('error', () => {
    if (!res.headersSent) sendText(res, 400, 'request body could not be read\n', { Connection: 'close' });
  });
}
