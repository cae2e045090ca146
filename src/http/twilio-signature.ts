import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { safeEqual } from '../lib/seal.js';

/**
 * Refuses any request whose X-Twilio-Signature does not match. The URL is always the
 * configured public base URL + the path and query as requested — never a Host or protocol
 * taken from the request, which a proxy (or an attacker) controls. Twilio's own validator
 * compares in constant time and tolerates the explicit-default-port variants.
 */
export function requireTwilioSignature(opts: { authToken: string; publicBaseUrl: string }): RequestHandler {
  return (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    const url = opts.publicBaseUrl + req.originalUrl;
    const params = (req.body ?? {}) as Record<string, unknown>;
    // Fast path: one HMAC over the exact URL (what Twilio signs when PUBLIC_BASE_URL is right);
    // only a mismatch pays for twilio's validator, which also tries the explicit-port variants.
    if (signature && (safeEqual(twilio.getExpectedTwilioSignature(opts.authToken, url, params), signature)
      || twilio.validateRequest(opts.authToken, signature, url, params))) {
      next();
      return;
    }
    req.log?.warn({ path: req.path, paramKeys: Object.keys(params).sort(), hasSignature: Boolean(signature) }, 'twilio signature rejected');
    res.status(403).type('text/plain').send(signature ? 'Twilio signature does not match\n' : 'X-Twilio-Signature header missing\n');
  };
}
