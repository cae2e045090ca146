import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { ReplayGuard } from '../replay.js';
import type { CallParams } from '../engine.js';
import type { Form } from '../../twilio/form.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

/** A signed Twilio webhook: its path, path + query (what was signed), query, form and headers. */
export interface Webhook {
  readonly path: string;
  readonly url: string;
  readonly query: ParsedUrlQuery;
  readonly form: Form;
  readonly headers: IncomingHttpHeaders;
}

export function field(form: Form, name: string): string | undefined {
  const v = form[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads what the engine needs; a missing/odd CallSid is a bad request, odd Digits are just invalid keys. */
export function callParams(form: Form): CallParams | null {
  const callSid = field(form, 'CallSid');
  if (!callSid || !CALL_SID.test(callSid)) return null;
  const digits = form.Digits === undefined ? '' : (field(form, 'Digits') ?? '!');
  const transferResult = field(form, 'DialCallStatus') ?? field(form, 'QueueResult');
  const stirVerstat = field(form, 'StirVerstat');
  const source = field(form, 'BootlineSource');
  return {
    callSid,
    from: field(form, 'From'),
    digits: digits.slice(0, 64),
    ...(stirVerstat ? { stirVerstat } : {}),
    ...(transferResult ? { transferResult } : {}),
    ...(source === 'simulator' || source === 'test' ? { source } : {}),
  };
}

/** The `t` of an action URL (signed with it), when present and well formed. */
export function turnOf(q: ParsedUrlQuery): number | undefined {
  const t = q.t;
  return typeof t === 'string' && /^\d{1,6}$/.test(t) ? Number(t) : undefined;
}

/** What makes this webhook one request: Twilio's idempotency token, else step and turn. */
export function requestIdentity(w: Webhook): string | null {
  const token = w.headers['i-twilio-idempotency-token'];
  const step = w.path === '/voice/input' && typeof w.query.step === 'string' ? w.query.step : undefined;
  return ReplayGuard.identity(typeof token === 'string' ? token : undefined, step, turnOf(w.query));
}
