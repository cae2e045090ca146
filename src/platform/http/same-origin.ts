import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { BootlineError } from '../../errors.js';

/**
 * Checks for requests that change something. A page on another site can make a browser send
 * a "simple" request (Fetch standard, CORS-safelisted request headers): a GET, or a POST of
 * a form or `text/plain`, with whatever credentials the browser holds for us (Basic auth, a
 * cookie) and no preflight. Such a request either carries a body of one of those types or an
 * Origin / Sec-Fetch-Site naming the other site; an API that takes only JSON and refuses
 * other origins cannot be driven that way.
 */

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request carries a body (RFC 9110 §8.6: a Content-Length above 0, or a Transfer-Encoding). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const len = headers['content-length'];
  return len !== undefined && len !== '0';
}

/** `application/json` and `application/<anything>+json` (RFC 6839 §3.1), any parameters. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * 415 UNSUPPORTED_MEDIA_TYPE for a request whose body is not JSON (whatever the method), and
 * for a write that names a content type other than JSON even with an empty body (a form
 * with no fields): bodies of other types would otherwise be read as empty and the request
 * carried out without what it said. `routes` names the few routes that read another type
 * themselves ("POST /batches" → text/csv…, paths relative to where this is mounted); their
 * own reader refuses anything else.
 */
export function jsonBodiesOnly(routes: Readonly<Record<string, readonly string[]>> = {}): RequestHandler {
  return (req, _res, next) => {
    const type = req.headers['content-type'];
    const named = type !== undefined && type.trim() !== '';
    const own = routes[`${req.method} ${req.path}`];
    if (own?.includes((type ?? '').split(';')[0]!.trim().toLowerCase())) {
      next();
      return;
    }
    if ((hasBody(req.headers) || (named && !READS.has(req.method))) && !isJsonType(type)) {
      next(
        new BootlineError(
          'UNSUPPORTED_MEDIA_TYPE',
          `this API takes JSON bodies (Content-Type: application/json), not ${named ? type : 'an untyped body'}`,
        ),
      );
      return;
    }
    next();
  };
}

/**
 * Whether the browser says the request comes from a page of this site: Sec-Fetch-Site
 * (Fetch Metadata) `same-origin` when sent, and an Origin whose host is the Host asked for
 * when sent. Clients that are not browsers send neither and pass: what they present is a
 * token they hold, not credentials a browser attaches by itself.
 */
export function fromThisSite(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** 403 API_FORBIDDEN for a write a page of another site made the browser send. */
export function sameSiteWrites(): RequestHandler {
  return (req, _res, next) => {
    if (!READS.has(req.method) && !fromThisSite(req.headers)) {
      next(new BootlineError('API_FORBIDDEN', 'cross-site request refused (Origin / Sec-Fetch-Site)'));
      return;
    }
    next();
  };
}
