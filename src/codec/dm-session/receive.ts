/**
 * What a DM client does with a reassembled WSP push before it trusts it (OMA-WAP-TS-ProvBoot
 * §5 "Bootstrap security"; OMA DM Bootstrap §5.2–5.3): take only the two
 * bootstrap content types, require SEC and MAC, check the MAC with the key material the SEC
 * method names, and only then decode the document into an account.
 *
 *   NETWPIN      HMAC-SHA1 keyed with the SIM's IMSI (no user input)
 *   USERPIN      keyed with the PIN the user types
 *   USERNETWPIN  IMSI ‖ PIN
 *   USERPINMAC   the user types K ‖ m; the header MAC is ignored (Symbian, cpclient, Kryten)
 */
import { BootlineError, isBootlineError } from '../../errors.js';
import { verifyMac, verifyUserPinMacCode, type SecInput, type SecMethod } from '../security/mac.js';
import { decodeWbxml } from '../wbxml/decoder.js';
import { parsePush, type ParsedPush } from '../wsp/parse.js';
import { CONTENT_TYPE_CP, CONTENT_TYPE_DM, WSP_CONTENT_TYPES } from '../wsp/tables.js';
import { accountFromBootstrap, type DmAccount } from './account.js';

export interface ReceivedBootstrap {
  readonly profile: 'cp' | 'dm';
  readonly sec: SecMethod;
  readonly mac: string;
  /** The WBXML body exactly as received: what the MAC covers. */
  readonly body: Uint8Array;
  readonly push: ParsedPush;
}

/** What the handset holds to check a MAC: the SIM's IMSI, and what the user typed. */
export interface HandsetSecrets {
  readonly imsi?: string;
  /** The PIN (USERPIN, USERNETWPIN) or the K ‖ m code (USERPINMAC) the user typed. */
  readonly typed?: string;
}

const PROFILE_BY_TYPE: Readonly<Record<string, 'cp' | 'dm'>> = {
  [WSP_CONTENT_TYPES[CONTENT_TYPE_CP]]: 'cp',
  [WSP_CONTENT_TYPES[CONTENT_TYPE_DM]]: 'dm',
};

function refused(message: string): BootlineError {
  return new BootlineError('DOCUMENT_INVALID', message, { field: 'push' });
}

/** Parses the push and refuses anything that is not a signed bootstrap (WSP_* / DOCUMENT_INVALID). */
export function readBootstrapPush(wsp: Uint8Array): ReceivedBootstrap {
  const push = parsePush(wsp);
  const profile = PROFILE_BY_TYPE[push.contentType.mediaType];
  if (!profile) throw refused(`content type ${push.contentType.mediaType} is not a Bootstrap Message`);
  if (push.sec === undefined || push.mac === undefined)
    throw refused('a Bootstrap Message without SEC and MAC is not accepted');
  return { profile, sec: push.sec, mac: push.mac, body: push.body, push };
}

/** True when the SEC method needs the user to type something before the MAC can be checked. */
export function needsUserInput(sec: SecMethod): boolean {
  return sec !== 'NETWPIN';
}

function secInput(sec: SecMethod, s: HandsetSecrets): SecInput | null {
  if (sec === 'NETWPIN') return s.imsi ? { method: sec, imsi: s.imsi } : null;
  if (sec === 'USERPIN') return s.typed ? { method: sec, pin: s.typed } : null;
  if (sec === 'USERNETWPIN') return s.imsi && s.typed ? { method: sec, imsi: s.imsi, pin: s.typed } : null;
  return null;
}

/** Checks the MAC as the SEC method requires; false on any mismatch or unusable input (constant time). */
export function verifyBootstrap(b: ReceivedBootstrap, s: HandsetSecrets): boolean {
  if (b.sec === 'USERPINMAC') return s.typed !== undefined && verifyUserPinMacCode(b.body, s.typed);
  const input = secInput(b.sec, s);
  if (!input) return false;
  try {
    return verifyMac(b.body, b.mac, input);
  } catch (err) {
    if (isBootlineError(err)) return false; // a PIN with letters, an IMSI of the wrong length: no match
    throw err;
  }
}

/** Decodes the (verified) body into the account it provisions. */
export function bootstrapAccount(b: ReceivedBootstrap): DmAccount {
  const { doc } = decodeWbxml(b.body);
  const account = accountFromBootstrap(doc);
  if ((account.profile === 'cp') !== (b.profile === 'cp'))
    throw refused(`a ${b.profile.toUpperCase()}-profile push carries a ${account.profile.toUpperCase()} document`);
  return account;
}
