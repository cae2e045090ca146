import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { BootlineError } from '../../errors.js';
import { metrics } from '../metrics.js';
import { requireRole, type ApiToken } from './auth.js';

/**
 * Headers every response carries (helmet: CSP, nosniff, …) and CORS closed unless origins are
 * configured: a browser page elsewhere cannot read /api. Nothing bootline serves is meant to
 * be framed — the console shows its diagram as an <img>, bull-board uses no frames — so no
 * page may frame it (CSP `frame-ancestors 'none'`, X-Frame-Options DENY): clickjacking on
 * "publish" or "retry" is closed. The queue dashboard (bull-board) needs inline bootstrapping
 * script, so it alone gets a CSP allowing it; everything bootline renders uses same-origin files.
 *
 * `upgrade-insecure-requests` and HSTS only when PUBLIC_BASE_URL is https: over plain HTTP the
 * directive turns the console's own stylesheet and script into https requests that fail.
 */
export function hardening(o: {
  corsOrigins: readonly string[];
  dashboardPath: string;
  publicBaseUrl: string;
}): RequestHandler {
  const https = o.publicBaseUrl.startsWith('https:');
  const common = {
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: https,
  } as const;
  const directives = { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': https ? [] : null };
  const strict = helmet({ ...common, contentSecurityPolicy: { directives } });
  const dashboard = helmet({
    ...common,
    contentSecurityPolicy: {
      directives: {
        ...directives,
        'script-src': ["'self'", "'unsafe-inline'"],
        'style-src': ["'self'", "'unsafe-inline'", 'https:'],
      },
    },
  });
  const allowed = new Set(o.corsOrigins);
  const corsApi = cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  return (req, res, next) => {
    // Twilio's webhooks are answered to Twilio, not rendered by a browser: browser headers
    // there would cost every call ~10% of the webhook's throughput for nothing (npm run bench).
    if (req.path.startsWith('/voice/')) {
      next();
      return;
    }
    const headers = req.path.startsWith(o.dashboardPath) ? dashboard : strict;
    headers(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      if (!req.path.startsWith('/api/')) {
        next();
        return;
      }
      // A preflight from an origin not on the list is refused with a reason, not left to guess.
      const origin = req.headers.origin;
      if (req.method === 'OPTIONS' && origin && !allowed.has(origin)) {
        next(new BootlineError('API_FORBIDDEN', `origin ${origin} may not call the API (CORS_ORIGINS)`));
        return;
      }
      corsApi(req, res, next);
    });
  };
}

/** Prometheus text for any API token (read-only is enough): counters carry no phone numbers. */
export function metricsRoute(tokens: readonly ApiToken[]): RequestHandler[] {
  return [
    requireRole(tokens, ['operator', 'agent', 'read-only']),
    async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.metrics());
    },
  ];
}
