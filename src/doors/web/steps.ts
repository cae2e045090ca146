import type { Request, Response } from 'express';
import { isBootlineError } from '../../errors.js';
import { maskPhone } from '../../platform/mask.js';
import { assertDestination } from '../../policy/destination.js';
import { checkNumber } from '../../policy/number.js';
import type { PageContext } from './page.js';
import { codePage, noticePage, numberPage } from './page.js';
import type { SetupContext } from './routes.js';
import { CODE } from './session.js';

type Ctx = PageContext & { sid: string };
type Body = { number?: unknown; code?: unknown; resend?: unknown; altcha?: unknown };

/** "203.0.113.*" / "2001:db8:85a3:…": enough to tell senders apart in a log, not to find anyone. */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.*`;
  return `${ip.split(':').slice(0, 3).join(':')}:…`;
}

const REASON_KEY = {
  empty: 'invalidNumber',
  invalid: 'invalidNumber',
  country: 'notAllowedCountry',
  type: 'notMobile',
};

/**
 * Number → code by SMS, with the hotline's defences in its order: the number under the flow's
 * phone policy and the destination policy, a SIM-swap block, the proof of work when the
 * sender's IP or the number's range is hot (or always), the shared code limits (per IP, per
 * destination, prefix, country, global) and the wrong-code lockout, then two sends per visit.
 */
export async function sendCode(s: SetupContext, c: Ctx, req: Request, res: Response): Promise<unknown> {
  const b = (req.body ?? {}) as Body;
  const session = await s.sessions.read(c.sid);
  const resend = b.resend !== undefined && session.msisdn !== undefined && !session.verified;
  const typed = typeof b.number === 'string' ? b.number.slice(0, 40) : '';
  const back = (status: number, error: string, challenge = false): unknown =>
    res
      .status(status)
      .type('html')
      .send(
        resend
          ? codePage(c, { to: maskPhone(session.msisdn), error, challenge })
          : numberPage(c, { value: typed, error, challenge }),
      );
  let msisdn = session.msisdn;
  if (!resend) {
    const n = checkNumber(typed, s.deps.catalogue.phone());
    if (!n.ok) return back(422, c.say(REASON_KEY[n.reason]));
    msisdn = n.e164;
  }
  try {
    assertDestination(s.deps.destination, msisdn!);
  } catch {
    return back(422, c.say('notAllowedCountry'));
  }
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const subject = { caller: `ip:${ip}`, destination: msisdn! };
  if (await s.deps.blocks.blocked(msisdn!)) return back(403, c.say('webBlocked'));
  if (await challengeNeeded(s, subject)) {
    if (b.altcha === undefined) return back(428, c.say('webChallenge'), true);
    if (!(await s.pow.redeem(b.altcha))) {
      s.deps.logger.warn({ door: 'web', code: 'CHALLENGE_FAILED', ip: maskIp(ip) }, 'code refused: proof of work');
      return back(403, c.say('webChallenge'), true);
    }
  }
  if (!(await s.deps.guard.locked(msisdn!)).ok) return back(429, c.say('webCodeFailed'));
  const limit = await s.deps.guard.allow('code', subject);
  if (!limit.ok) {
    s.deps.logger.warn(
      { door: 'web', session: s.sessions.tag(c.sid), to: maskPhone(msisdn), scope: limit.scope },
      'code refused by a rate limit',
    );
    return back(429, c.say('webTooMany'));
  }
  const issued = await s.sessions.issue(c.sid, msisdn!);
  if (!issued) return back(429, c.say('webNoMoreCodes'));
  await s.deps.sendText({
    id: `otp-web-${issued.visit}-${issued.send}`,
    to: msisdn!,
    text: c.say('codeSms', { code: issued.code }),
  });
  s.deps.logger.info(
    { door: 'web', session: s.sessions.tag(c.sid), to: maskPhone(msisdn), send: issued.send, ip: maskIp(ip) },
    'one-time code queued',
  );
  res.redirect(303, `/setup?lang=${c.lang}`);
}

async function challengeNeeded(s: SetupContext, subject: { caller: string; destination: string }): Promise<boolean> {
  const mode = s.deps.config.challenge;
  if (mode !== 'hot') return mode === 'always';
  const used = await s.deps.guard.usage('code', subject);
  return used.caller >= s.deps.config.hot.ip || used.prefix >= s.deps.config.hot.prefix;
}

/** Code → verified → the push through the intake (its id is the visit's), the PIN kept to be shown once. */
export async function verifyAndPush(s: SetupContext, c: Ctx, req: Request, res: Response): Promise<unknown> {
  const session = await s.sessions.read(c.sid);
  if (!session.msisdn || session.bootstrapId) return void res.redirect(303, `/setup?lang=${c.lang}`);
  const msisdn = session.msisdn;
  const typed = String((req.body as Body)?.code ?? '').trim();
  const again = (status: number, error: string) =>
    res
      .status(status)
      .type('html')
      .send(codePage(c, { to: maskPhone(msisdn), error }));
  const stop = (status: number, key: string) =>
    res
      .status(status)
      .type('html')
      .send(noticePage(c, c.say(key)));
  if (!session.verified) {
    if (!new RegExp(`^\\d{${CODE.length}}$`).test(typed)) return again(422, c.say('wrongCode'));
    if (!(await s.deps.guard.locked(msisdn)).ok) return stop(429, 'webCodeFailed');
    const verdict = await s.sessions.check(c.sid, typed);
    if (verdict === 'expired') return again(410, c.say('codeExpired'));
    if (verdict !== 'ok') {
      await s.deps.guard.wrongCode(msisdn);
      return verdict === 'wrong' ? again(422, c.say('wrongCode')) : stop(403, 'webCodeFailed');
    }
  }
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const limit = await s.deps.guard.allow('bootstrap', { caller: `ip:${ip}`, destination: msisdn });
  if (!limit.ok) return stop(429, 'webTooMany');
  try {
    const accepted = await s.deps.intake.request({
      id: `web-${session.visit}`,
      msisdn,
      origin: { door: 'web', by: `web ${maskIp(ip)}` },
    });
    await s.sessions.pushed(c.sid, accepted.id, accepted.pin);
    s.deps.logger.info(
      { door: 'web', session: s.sessions.tag(c.sid), to: maskPhone(msisdn), bootstrapId: accepted.id },
      'bootstrap requested',
    );
  } catch (err) {
    if (isBootlineError(err, 'NUMBER_BLOCKED')) return stop(403, 'webBlocked');
    if (isBootlineError(err, 'DESTINATION_REFUSED')) return stop(403, 'notAllowedCountry');
    throw err;
  }
  res.redirect(303, `/setup?lang=${c.lang}`);
}
