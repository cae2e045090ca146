import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Never pass a PIN, code, token, IMSI or raw Twilio body to a logger:
 * log masked numbers (maskPhone) and ids. The redact list is a second line of defence for
 * field names that would carry such values if someone slipped.
 */
export const REDACTED_PATHS = [
  'pin',
  '*.pin',
  'code',
  '*.code',
  'token',
  '*.token',
  'authToken',
  '*.authToken',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'imsi',
  '*.imsi',
  'body',
  '*.body',
  'Digits',
  '*.Digits',
  'req.headers["x-twilio-signature"]',
  'req.headers.authorization',
];

/**
 * A `code` field is either a secret (a one-time code, a USERPINMAC user code: digits or hex) or
 * a stable error code (FLOW_INVALID, ECONNREFUSED, HTTP_404): an upper-case identifier with a
 * letter that is no hex digit carries no secret and is what an operator greps for, so it stays;
 * everything else under a redacted path is hidden.
 */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
export function censor(value: unknown, path: string[]): unknown {
  const stable = typeof value === 'string' && ERROR_CODE.test(value) && /[G-Z_]/.test(value);
  return path.at(-1) === 'code' && stable ? value : '[redacted]';
}

export function createLogger(opts: { level: string; name: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: opts.level,
      name: opts.name,
      base: { svc: opts.name },
      redact: { paths: REDACTED_PATHS, censor },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** A logger that drops everything: the default for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
