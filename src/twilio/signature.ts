import type { RequestHandler } from 'express';
import twilio from 'twilio';
import type { Logger } from '../platform/logger.js';
import { safeEqual } from '../platform/seal.js';
import { webhookRefusals } from '../platform/metrics.js';

export interface SignatureKeys {
  readonly authToken: string;
  readonly publicBaseUrl: string;
  /**
   * TWILIO_SIGNATURE_PORTS. `strict` (the default): the signature must be over PUBLIC_BASE_URL
   * exactly as configured. `either`: also over that URL with its port removed or the scheme's
   * default port added (and their escaped forms) — what the twilio package's validateRequest
   * tries — for deployments whose proxies change the port Twilio sees.
   */
  readonly signaturePorts?: 'strict' | 'either';
}

/**
 * Whether X-Twilio-Signature matches the request. The URL is always the configured public
 * base URL + the path and query as requested (`pathAndQuery`) — never a Host or protocol
 * taken from the request, which a proxy (or an attacker) controls — and, unless told
 * otherwise, never another port: twilio's validator accepts a signature over the URL with
 * *any* port removed, so with PUBLIC_BASE_URL on :8443 a signature made for the host
 * without a port (another service) would pass.
 */
export function twilioSignatureValid(
  keys: SignatureKeys,
  pathAndQuery: string,
  params: Record<string, unknown>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const url = keys.publicBaseUrl + pathAndQuery;
  // One HMAC over the exact URL (what Twilio signs when PUBLIC_BASE_URL is right), compared in
  // constant time; only with `either` does a mismatch pay for twilio's validator, which tries the
  // port variants (and compares in constant time too).
  if (safeEqual(twilio.getExpectedTwilioSignature(keys.authToken, url, params), signature)) return true;
  return keys.signaturePorts === 'either' && twilio.validateRequest(keys.authToken, signature, url, params);
}

/**
 * A webhook refused for its signature: logged (parameter names only) and counted, the same
 * wherever it is checked. Returns the 403's body, saying why.
 */
export function signatureRefused(
  log: Logger | undefined,
  path: string,
  params: Record<string, unknown>,
  signature: string | undefined,
): string {
  log?.warn(
    { path, paramKeys: Object.keys(params).sort(), hasSignature: Boolean(signature) },
    'twilio signature rejected',
  );
  webhookRefusals.inc({ reason: 'signature' });
  return signature ? 'Twilio signature does not match\n' : 'X-Twilio-Signature header missing\n';
}

/** Express middleware: refuses any request whose X-Twilio-Signature does not match (403). */
export function requireTwilioSignature(keys: SignatureKeys): RequestHandler {
  return (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    const params = (req.body ?? {}) as Record<string, unknown>;
    if (twilioSignatureValid(keys, req.originalUrl, params, signature)) {
      next();
      return;
    }
    res
      .status(403)
      .type('text/plain')
      .send(signatureRefused(req.log, req.path, params, signature));
  };
}
