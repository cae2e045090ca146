import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, urlencoded, type Request, type Response } from 'express';
import type { DoorsConfig } from '../../config/doors.js';
import { isBootlineError } from '../../errors.js';
import type { Logger } from '../../platform/logger.js';
import { maskPhone } from '../../platform/mask.js';
import type { RedisClient } from '../../platform/redis/client.js';
import type { DestinationPolicy } from '../../policy/destination.js';
import type { AbuseGuard } from '../../policy/limits.js';
import type { NumberBlocks } from '../blocks.js';
import type { BootstrapIntake } from '../intake.js';
import { ProofOfWork } from './challenge.js';
import { codePage, FINAL, noticePage, numberPage, resultPage, stateText, type PageContext } from './page.js';
import { SetupSessions } from './session.js';
import { sendCode, verifyAndPush } from './steps.js';
import { pickLanguage, sayer, type SetupCatalogue } from './texts.js';

export interface SetupDeps {
  readonly redis: RedisClient;
  readonly dataKey: Buffer;
  readonly intake: BootstrapIntake;
  readonly guard: AbuseGuard;
  readonly blocks: NumberBlocks;
  readonly destination: DestinationPolicy;
  readonly catalogue: SetupCatalogue;
  /** The text SMS path the hotline's codes take; `id` makes a send idempotent. */
  readonly sendText: (i: { id: string; to: string; text: string }) => Promise<void>;
  readonly config: DoorsConfig['setup'];
  readonly logger: Logger;
}

export interface SetupContext {
  readonly deps: SetupDeps;
  readonly sessions: SetupSessions;
  readonly pow: ProofOfWork;
}

const here = dirname(fileURLToPath(import.meta.url));
/** src/doors/web/static, from src/ (tsx) or dist/src/ (compiled): the files ship as they are. */
const STATIC = [join(here, 'static'), join(here, '..', '..', '..', '..', 'src', 'doors', 'web', 'static')].find((d) =>
  existsSync(join(d, 'setup.js')),
);
/** The ALTCHA widget's strict-CSP build (styles and workers as files), served from this origin. */
const ALTCHA = join(dirname(createRequire(import.meta.url).resolve('altcha')), '..', '..', 'dist');
const WIDGET_FILES: Record<string, string> = {
  'altcha.js': join(ALTCHA, 'external', 'altcha.min.js'),
  'altcha.css': join(ALTCHA, 'external', 'altcha.css'),
  'altcha-pbkdf2.js': join(ALTCHA, 'workers', 'pbkdf2.js'),
  'altcha-es.js': join(ALTCHA, 'i18n', 'es-es.js'),
};

/** The visitor's language, words, session and CSRF token; a new visitor gets the session cookie. */
export function contextOf(s: SetupContext, req: Request, res: Response): PageContext & { sid: string } {
  const { sid, cookie } = s.sessions.idOf(req);
  if (cookie) res.append('Set-Cookie', cookie);
  res.set('Cache-Control', 'no-store');
  const lang = pickLanguage(
    s.deps.catalogue,
    req.query.lang ?? (req.body as { lang?: unknown })?.lang,
    req.get('accept-language'),
  );
  const languages = s.deps.catalogue
    .languages()
    .map((code) => ({ code, name: sayer(s.deps.catalogue, code)('webLanguage') }));
  return { sid, lang, say: sayer(s.deps.catalogue, lang), languages, csrf: s.sessions.csrf(sid) };
}

/**
 * The self-service page: GET /setup shows the step the visitor is at (number, code, or the PIN
 * once and the delivery state); forms post to /setup/number, /setup/code, /setup/restart and
 * redirect back (303), so the number and the PIN are never in a URL. /setup/state is the live
 * state for the script; /setup/challenge the proof-of-work challenge.
 */
export function setupRoutes(deps: SetupDeps): Router {
  const s: SetupContext = {
    deps,
    sessions: new SetupSessions(deps.redis, deps.dataKey),
    pow: new ProofOfWork(deps.redis, deps.dataKey, deps.config),
  };
  const r = Router();
  const form = urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  r.use('/setup/static', (req, res, next) => {
    const widget = WIDGET_FILES[req.path.slice(1)];
    if (widget) res.sendFile(widget, { maxAge: '1h' });
    else next();
  });
  if (STATIC) r.use('/setup/static', express.static(STATIC, { fallthrough: false, index: false, maxAge: '5m' }));

  r.get('/setup', async (req, res) => {
    const c = contextOf(s, req, res);
    const st = await s.sessions.read(c.sid);
    if (st.bootstrapId) {
      const status = await deps.intake.status(st.bootstrapId);
      if (st.pin) await s.sessions.takePin(c.sid);
      res.type('html').send(resultPage(c, { ...(st.pin ? { pin: st.pin } : {}), state: status?.state ?? 'queued' }));
    } else if (st.msisdn && !st.verified) {
      res.type('html').send(codePage(c, { to: maskPhone(st.msisdn) }));
    } else {
      res.type('html').send(numberPage(c, { challenge: deps.config.challenge === 'always' }));
    }
  });

  r.get('/setup/state', async (req, res) => {
    const c = contextOf(s, req, res);
    const id = (await s.sessions.read(c.sid)).bootstrapId;
    const status = id ? await deps.intake.status(id) : null;
    if (!status) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no bootstrap in this session' } });
      return;
    }
    res.json({ state: status.state, text: stateText(c.say, status.state), final: FINAL.includes(status.state) });
  });

  r.get('/setup/challenge', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await s.pow.create());
  });

  r.post('/setup/number', form, async (req, res) => {
    const c = contextOf(s, req, res);
    if (!sameSite(s, req, c.sid)) {
      deps.logger.warn({ door: 'web', code: 'CSRF_INVALID', session: s.sessions.tag(c.sid) }, 'form refused');
      return expired(c, res);
    }
    await sendCode(s, c, req, res);
  });

  r.post('/setup/code', form, async (req, res) => {
    const c = contextOf(s, req, res);
    if (!sameSite(s, req, c.sid)) return expired(c, res);
    await verifyAndPush(s, c, req, res);
  });

  r.post('/setup/restart', form, async (req, res) => {
    const c = contextOf(s, req, res);
    if (!sameSite(s, req, c.sid)) return expired(c, res);
    await s.sessions.clear(c.sid);
    res.redirect(303, `/setup?lang=${c.lang}`);
  });

  r.use('/setup', (err: unknown, req: Request, res: Response, next: (e?: unknown) => void) => {
    if (req.path.startsWith('/static') || req.path === '/state' || req.path === '/challenge') return next(err);
    deps.logger.error(
      { door: 'web', err: isBootlineError(err) ? err.code : (err as Error).message },
      'setup page failed',
    );
    const c = contextOf(s, req, res);
    res
      .status(isBootlineError(err) && err.http < 500 ? err.http : 500)
      .type('html')
      .send(noticePage(c, c.say('webError')));
  });
  return r;
}

/** The form came from this page: the session's CSRF token, and (when the browser says) this origin. */
function sameSite(s: SetupContext, req: Request, sid: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      if (new URL(origin).host !== req.headers.host) return false;
    } catch {
      return false;
    }
  }
  return s.sessions.csrfOk(sid, (req.body as { csrf?: unknown })?.csrf);
}

function expired(c: PageContext, res: Response): void {
  res
    .status(403)
    .type('html')
    .send(noticePage(c, c.say('webExpired')));
}
