import type { NumberPolicy } from '../../policy/number.js';

/**
 * The page's words come from the default voice flow's prompt catalogue (voice-flows/
 * bootstrap.yaml), so the hotline and the page say the same things in the same languages and
 * operators edit them in one place. Keys the page alone uses start with "web"; any a flow
 * lacks fall back to the English below.
 */
export interface SetupCatalogue {
  /** Declared languages, the default first. */
  languages(): readonly string[];
  prompts(language: string): Readonly<Record<string, string>>;
  /** Where a national number is read as dialled, and what the hotline accepts. */
  phone(): NumberPolicy;
}

export const WEB_DEFAULTS: Readonly<Record<string, string>> = {
  webTitle: 'Set up your phone',
  webIntro: 'Enter the mobile number of the phone you want to set up. We will send it a code by text message.',
  webNumberLabel: 'Mobile number',
  webSendCode: 'Send code',
  webCodeLabel: 'The 6-digit code from the text message',
  webCheckCode: 'Check code',
  webResend: 'Send a new code',
  webStartAgain: 'Use another number',
  webPinIntro: 'This is the only time we show it: write it down. Your phone asks for it when the settings arrive.',
  webStateQueued: 'Queued: the settings are about to be sent.',
  webStateSubmitted: 'Sent: waiting for your phone to receive them.',
  webStateDelivered: 'Delivered: your phone has the settings. Open the message and enter your PIN.',
  webStateFailed: 'We could not deliver the settings. Check that the phone is switched on, then try again later.',
  webRefresh: 'Refresh',
  webChallenge: 'Please confirm you are a person first: your browser does a short calculation (this needs JavaScript).',
  webExpired: 'This page has expired. Please start again.',
  webBlocked: 'We cannot set up this phone right now. Please contact support.',
  webTooMany: 'Sorry, we cannot send more messages to that number right now. Please try again later.',
  webNoMoreCodes: 'Sorry, we cannot send another code. Please start again later.',
  webCodeFailed: 'Sorry, we could not verify that number. Please try again later.',
  webError: 'Sorry, something went wrong on our side. Please try again later.',
  webLanguage: 'English',
};

export type Say = (key: string, vars?: Readonly<Record<string, string>>) => string;

/** A prompt in `language` with {placeholders} filled; the key itself if nothing has it. */
export function sayer(catalogue: SetupCatalogue, language: string): Say {
  const prompts = catalogue.prompts(language);
  return (key, vars = {}) =>
    (prompts[key] ?? WEB_DEFAULTS[key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** ?lang=es, else the browser's Accept-Language, else the flow's default. */
export function pickLanguage(catalogue: SetupCatalogue, asked: unknown, accept: string | undefined): string {
  const langs = catalogue.languages();
  if (typeof asked === 'string' && langs.includes(asked)) return asked;
  for (const part of (accept ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase().split('-')[0]!;
    if (langs.includes(tag)) return tag;
  }
  return langs[0] ?? 'en';
}
