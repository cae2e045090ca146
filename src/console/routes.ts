import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, urlencoded, type Request, type RequestHandler } from 'express';
import type { FlowAdmin } from './flows/service.js';
import { layout } from './html.js';
import { flowPage, homePage, loginPage, simPage } from './pages.js';
import { recentActivity, type RecentDeps } from './recent.js';
import { callPage, callsPage } from './calls-pages.js';
import { callSidOf, callTrace, traceFilter } from './calls.js';
import { opsRoutes, type OpsDeps } from './ops-routes.js';
import type { TraceStore } from '../voice/trace/store.js';
import { requireOperator, SessionCookies } from './session.js';
import type { LoginThrottle } from './throttle.js';
import { clientAddress, isLoopbackHost, requestIsHttps, type TrustedProxies } from '../platform/http/client-address.js';
import { BootlineError } from '../errors.js';

const here = dirname(fileURLToPath(import.meta.url));
/** src/console/static (the stylesheet), from src/ or dist/src/: the files ship as they are. */
function staticDir(): string {
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'console', 'static')];
  return candidates.find((d) => existsSync(join(d, 'console.css'))) ?? candidates[1]!;
}
/** dist/console-static: the browser script esbuild bundles from src/console/browser (src/tooling/bundle.mjs). */
function bundleDir(): string {
  const candidates = [join(here, '..', '..', 'console-static'), join(here, '..', '..', 'dist', 'console-static')];
  return candidates.find((d) => existsSync(join(d, 'console.js'))) ?? candidates[0]!;
}

const waitText = (s: number) => (s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`);

const NEXT = /^\/console(\/[A-Za-z0-9/_?=&.%-]*)?$/;
const safeNext = (v: unknown) => (typeof v === 'string' && NEXT.test(v) && !v.startsWith('//') ? v : '/console');

/**
 * The operator console: server-rendered pages under /console (login with an operator token,
 * flows with status, a flow's editor/diagram/diff/history, the call simulator) plus their
 * one stylesheet and one script. Data changes go through the flow admin API.
 */
export function consoleRoutes(deps: {
  admin: FlowAdmin;
  cookies: SessionCookies;
  recent: RecentDeps;
  ops: OpsDeps;
  dashboardPath: string;
  traces: TraceStore;
  throttle: LoginThrottle;
  trustedProxies: TrustedProxies;
}): Router {
  const r = Router();
  const page = (req: Request, title: string, name: string, body: Parameters<typeof layout>[1]): string =>
    layout(
      { title, page: name, ...(req.session ? { user: req.session.name } : {}), dashboardPath: deps.dashboardPath },
      body,
    );
  const { throttle, trustedProxies } = deps;
  // Browsers drop a Secure cookie set over plain HTTP anywhere but localhost: say so on the form.
  const insecure = (req: Request) => !requestIsHttps(req, trustedProxies) && !isLoopbackHost(req.headers.host);
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };

  // The web process's own root: people who open it want the console (Twilio never asks for /).
  r.get('/', (_req, res) => {
    res.redirect(303, '/console');
  });
  r.use('/console/static', express.static(bundleDir(), { index: false, maxAge: '5m' }));
  r.use('/console/static', express.static(staticDir(), { fallthrough: false, index: false, maxAge: '5m' }));
  r.use('/console', noStore);
  r.get('/console/login', (req, res) => {
    const form = { next: safeNext(req.query.next), insecure: insecure(req) };
    res.type('html').send(page(req, 'Log in', 'login', loginPage(form)));
  });
  r.post('/console/login', urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }), async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(b.next);
    const client = clientAddress(req, trustedProxies);
    const name = typeof b.name === 'string' ? b.name : '';
    const wait = await throttle.blockedFor(client, name);
    if (wait) {
      const err = new BootlineError(
        'CONSOLE_LOGIN_THROTTLED',
        `Too many failed logins under this name from your address; try again in ${waitText(wait)}.`,
      );
      res.status(err.http).setHeader('Retry-After', String(wait));
      const form = { next, insecure: insecure(req), error: `${err.message} (${err.code})` };
      res.type('html').send(page(req, 'Log in', 'login', loginPage(form)));
      return;
    }
    const ok = typeof b.token === 'string' && b.token.length <= 200 ? deps.cookies.login(b.token, name) : null;
    if (!ok) {
      await throttle.fail(client, name);
      req.log?.warn({ ip: client }, 'console login refused');
      const form = { next, insecure: insecure(req), error: 'That is not an operator token.' };
      res
        .status(401)
        .type('html')
        .send(page(req, 'Log in', 'login', loginPage(form)));
      return;
    }
    await throttle.succeed(client, name);
    req.log?.info({ user: ok.session.name }, 'console login');
    res.setHeader('Set-Cookie', ok.cookie);
    res.redirect(303, next);
  });
  r.post('/console/logout', (_req, res) => {
    res.setHeader('Set-Cookie', SessionCookies.logoutCookie());
    res.redirect(303, '/console/login');
  });

  r.use('/console', requireOperator(deps.cookies, { loginRedirect: true }));
  r.get('/console', async (req, res) => {
    const body = homePage(deps.admin.list(), await recentActivity(deps.recent), deps.dashboardPath);
    res.type('html').send(page(req, 'Flows', 'home', body));
  });
  r.get('/console/flows/:id', (req, res, next) => {
    const id = req.params.id;
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(id) || !deps.admin.ids().includes(id)) {
      next();
      return;
    }
    res.type('html').send(page(req, `Flow ${id}`, 'flow', flowPage(deps.admin, id)));
  });
  r.get('/console/calls', async (req, res) => {
    const filter = traceFilter(req.query as Record<string, unknown>);
    const body = callsPage(await deps.traces.list(filter), filter, deps.admin.ids());
    res.type('html').send(page(req, 'Calls', 'calls', body));
  });
  r.get('/console/calls/:callSid', async (req, res) => {
    const trace = await callTrace(deps.traces, callSidOf(req.params.callSid));
    res.type('html').send(page(req, `Call ${trace.meta.callSid}`, 'call', callPage(trace)));
  });
  r.use(opsRoutes(deps.ops, page));
  r.get('/console/sim', (req, res) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const flow = q('flow');
    const version = q('version');
    res
      .type('html')
      .send(
        page(
          req,
          'Call simulator',
          'sim',
          simPage(deps.admin.list(), { ...(flow ? { flow } : {}), ...(version ? { version } : {}) }),
        ),
      );
  });
  return r;
}
