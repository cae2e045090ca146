import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { BootlineError } from '../../errors.js';
import { metrics } from '../metrics.js';
import { requireRole, type ApiToken } from './auth.js';

/**
 * Headers every response carries (helmet: CSP, HSTS, nosniff, frame-ancestors 'none'…) and
 * CORS closed unless origins are configured: a browser page elsewhere cannot read /api.
 * The queue dashboard (bull-board) needs inline bootstrapping script, so it alone gets a
 * CSP allowing it; everything bootline renders itself uses same-origin files only.
 */
export function hardening(o: { corsOrigins: readonly string[]; dashboardPath: string }): RequestHandler {
  const strict = helmet({ crossOriginEmbedderPolicy: false });
  const dashboard = helmet({
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'", 'https:'] },
    },
    crossOriginEmbedderPolicy: false,
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
