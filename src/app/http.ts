import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { hardening, metricsRoute } from '../platform/http/hardening.js';
import { jsonBodiesOnly } from '../platform/http/same-origin.js';
import { BATCH_MEDIA_TYPES } from '../doors/batch/upload.js';
import { redisUnavailable } from '../platform/http/unavailable.js';
import { BootlineError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import { summarize, type WebhookHandler } from '../voice/http/webhooks.js';
import { deliveryRoutes, type DeliveryApiDeps } from '../deliveries/http/index.js';
import { DASHBOARD_PATH, dashboardRoutes } from '../console/dashboard.js';
import type { ApiToken } from '../platform/http/auth.js';
import { agentApiRoutes, type AgentApiDeps } from '../agents/http/api.js';
import { handInRoutes } from '../agents/http/handin.js';
import { mountConsole, type ConsoleDeps } from '../console/mount.js';
import type { Router } from 'express';
import { OPENAPI_DOCUMENT } from './openapi.js';

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export interface AppDeps {
  readonly config: {
    readonly publicBaseUrl: string;
    readonly twilioAuthToken: string;
    /** Browser origins allowed to call /api (none by default); proxies whose forwarding headers are believed. */
    readonly security?: {
      readonly corsOrigins: readonly string[];
      readonly trustedProxies?: readonly string[];
      readonly signaturePorts?: 'strict' | 'either';
    };
    readonly apiTokens?: readonly ApiToken[];
  };
  readonly logger: Logger;
  readonly readiness: ReadinessCheck;
  /** Status API, dead-letter view and dashboard (token-protected); absent = not mounted. */
  readonly api?: DeliveryApiDeps;
  /** Operator console (/console) and flow admin API (/api/flows, /api/sim); absent = not mounted. */
  readonly console?: ConsoleDeps;
  /** Reported by /readyz without gating it: the web takes calls and queues pushes while the SMSC is away. */
  readonly pipelineHealth?: () => Promise<{ readonly ok: boolean }>;
  /** Support agents: hand-in API and /voice/handin (docs/guides/support-agents.md); absent = not mounted. */
  readonly agent?: AgentApiDeps;
  /** The other doors (src/doors: /setup, POS and bulk API, /events/network); absent = not mounted. */
  readonly doors?: Router;
}

declare module 'express-serve-static-core' {
  interface Request {
    log?: Logger;
  }
}

/** What an HTTP server calls for every request (http.createServer's listener; supertest takes one too). */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The web process's request listener: Twilio's webhooks first, answered on Node's own request
 * and response (every call's hot path needs none of Express's layers; docs/performance.md),
 * everything else by the Express app. main/web.ts gives it to http.createServer and the tests
 * to supertest, so both take the one path production takes.
 */
export function createListener(app: Express, voice: WebhookHandler): RequestListener {
  return (req, res) => {
    if (!voice(req, res)) app(req, res);
  };
}

/**
 * Builds the Express app: every route but Twilio's webhooks (createListener puts those in
 * front). Never listens, never reads the environment: main/web.ts does.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // TwiML and API answers are never cached by validators; an ETag is a hash of every body for nothing.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use((req, _res, next) => {
    req.log = deps.logger;
    next();
  });
  app.use(
    hardening({
      corsOrigins: deps.config.security?.corsOrigins ?? [],
      dashboardPath: DASHBOARD_PATH,
      publicBaseUrl: deps.config.publicBaseUrl,
    }),
  );
  app.use('/api', jsonBodiesOnly({ 'POST /batches': [...BATCH_MEDIA_TYPES.csv, ...BATCH_MEDIA_TYPES.jsonl] }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness().catch(() => ({ readiness: false }));
    const ok = Object.values(checks).every(Boolean);
    const pipeline = deps.pipelineHealth ? await deps.pipelineHealth().catch(() => ({ ok: false })) : undefined;
    const status = !ok ? 'unavailable' : pipeline && !pipeline.ok ? 'degraded' : 'ready';
    res.status(ok ? 200 : 503).json({ status, checks, ...(pipeline ? { pipeline } : {}) });
  });

  if (deps.agent) {
    app.use(
      '/voice/handin',
      handInRoutes({
        service: deps.agent.service,
        logger: deps.logger,
        authToken: deps.config.twilioAuthToken,
        publicBaseUrl: deps.config.publicBaseUrl,
        signaturePorts: deps.config.security?.signaturePorts ?? 'strict',
      }),
    );
    app.use('/api/agent', agentApiRoutes(deps.agent));
  }

  // One OpenAPI document for every API (src/app/openapi.ts); the doors' own URL of old points at it.
  app.get('/api/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  app.get('/api/doors/openapi.json', (_req, res) => {
    res.redirect(308, '/api/openapi.json');
  });

  // --- doors: before the console and the delivery API (its GET /api/bootstraps/:id adds the origin) ---
  if (deps.doors) app.use(deps.doors);
  // --- end doors ---
  if (deps.console) mountConsole(app, deps.console, deps.config, deps.logger);
  if (deps.api) {
    app.use(deliveryRoutes(deps.api));
    app.use(
      DASHBOARD_PATH,
      dashboardRoutes({ tokens: deps.api.tokens, queues: deps.api.queues, basePath: DASHBOARD_PATH }),
    );
  }
  app.get('/metrics', metricsRoute(deps.api?.tokens ?? deps.config.apiTokens ?? []));

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });
  app.use(redisUnavailable());
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status =
      err instanceof BootlineError ? err.http : typeof err?.status === 'number' && err.status < 500 ? err.status : 500;
    const code =
      err instanceof BootlineError
        ? err.code
        : status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status < 500
            ? 'BAD_REQUEST'
            : 'INTERNAL';
    if (status >= 500) deps.logger.error({ err: summarize(err) }, 'request failed');
    res
      .status(status)
      .json({ error: { code, message: status < 500 ? String(err.message ?? 'bad request') : 'internal error' } });
  };
  app.use(onError);
  return app;
}
