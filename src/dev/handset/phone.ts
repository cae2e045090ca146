import { createHash } from 'node:crypto';
import type { DevInfo, DmAccount, ReceivedBootstrap } from '../../codec/dm-session/index.js';
import type { HandsetOutcome } from './outcome.js';

/** Switches to rehearse failures on one handset (the control API sets them). */
export interface PhoneFaults {
  /** Alter one octet of the next push's body in transit: the MAC must then fail. */
  tamper?: boolean;
  /** Present a wrong client secret to the DM server (a corrupted account). */
  wrongSecret?: boolean;
}

/** One DM account as the client keeps it (DMAcc), with the nonces it moves on. */
export interface StoredAccount {
  readonly account: DmAccount;
  /** AAuthData of CLCRED: the nonce the next client credentials use (base64). */
  clientNonce: string;
  /** AAuthData of SRVCRED: the nonce the server's credentials are checked with. */
  serverNonce: string;
}

export interface PendingPush {
  readonly push: ReceivedBootstrap;
  readonly at: number;
  attempts: number;
}

/** Luhn check digit (ISO/IEC 7812-1), which an IMEI ends with (3GPP TS 23.003 §6.2.1). */
function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A stable IMEI for a number: a fixed made-up TAC, 6 digits from a hash, the Luhn digit. */
export function simulatedImei(msisdn: string): string {
  const h = createHash('sha256').update(`bootline simulated handset ${msisdn}`).digest();
  const body = '35999999' + String(h.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  return body + luhn(body);
}

/** The simulated device behind one number: identity, a pending push, its DM accounts. */
export class Phone {
  readonly devInfo: DevInfo;
  pending: PendingPush | undefined;
  /** How the last push ended. */
  last: { readonly outcome: HandsetOutcome; readonly seq: number } | undefined;
  readonly accounts = new Map<string, StoredAccount>();
  faults: PhoneFaults = {};
  private sessionSeq = 0;

  constructor(
    readonly msisdn: string,
    device: Partial<Omit<DevInfo, 'DevId'>> = {},
  ) {
    this.devInfo = {
      DevId: `IMEI:${simulatedImei(msisdn)}`,
      Man: device.Man ?? 'bootline',
      Mod: device.Mod ?? 'simulated-handset',
      DmV: device.DmV ?? '1.2',
      Lang: device.Lang ?? 'en-US',
    };
  }

  /** A SessionID unique for this client (DM_Protocol §8.3: the client generates it). */
  nextSessionId(): string {
    return (++this.sessionSeq).toString(16).toUpperCase();
  }

  /** Stores (or replaces) the account for its ServerID, as a bootstrap does. */
  store(account: DmAccount): StoredAccount {
    const s: StoredAccount = {
      account,
      clientNonce: account.client.data ?? '',
      serverNonce: account.server.data ?? '',
    };
    this.accounts.set(account.serverId, s);
    return s;
  }
}
