import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, urlencoded, type Request, type RequestHandler } from 'express';
import type { FlowAdmin } from './flows/service.js';
import { layout } from './html.js';
import { flowPage, homePage, loginPage, simPage } from './pages.js';
import { recentActivity, type RecentDeps } from './recent.js';
import { requireOperator, SessionCookies } from './session.js';
import type { LoginThrottle } from './throttle.js';
import { clientAddress, isLoopbackHost, requestIsHttps, type TrustedProxies } from '../platform/http/client-address.js';
import { BootlineError } from '../errors.js';

/** src/console/static, from src/ (tsx) or dist/src/ (compiled): the files ship as they are. */
function staticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'console', 'static')];
  return candidates.find((d) => existsSync(join(d, 'console.js'))) ?? candidates[1]!;
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
  dashboardPath: string;
  throttle: LoginThrottle;
  trustedProxies: TrustedProxies;
}): Router {
  const r = Router();
  const page = (req: Request, title: string, name: string, body: Parameters<typeof layout>[1]) =>
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
