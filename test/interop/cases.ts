/** The pushes the interop tests hand to independent decoders: both profiles, all SEC methods, 1 / 2 / 5+ segments. */
import {
  buildPush,
  type BuiltPush,
  type CpBootstrapModel,
  type PushInput,
  type SecInput,
} from '../../src/codec/index.js';
import { EXAMPLE_A, EXAMPLE_C } from '../unit/codec/fixtures.js';

export const SECS: SecInput[] = [
  { method: 'NETWPIN', imsi: '466923103145252' },
  { method: 'USERPIN', pin: '1234' },
  { method: 'USERNETWPIN', imsi: '310260123456789', pin: '0000' },
  { method: 'USERPINMAC', userKey: '12345' },
];

/** Fits one SMS (≤ 133 octets of WSP): `version="1.0"` is a single token and values are short. */
const TINY: CpBootstrapModel = {
  providerId: 'p',
  addr: 'http://a/',
  appAuth: [{ level: 'APPSRV', type: 'HMAC' }],
  version: '1.0',
};
const MEDIUM: CpBootstrapModel = { ...EXAMPLE_A, appAuth: EXAMPLE_A.appAuth.slice(0, 1), name: undefined };
const LARGE: CpBootstrapModel = {
  ...EXAMPLE_A,
  addr: undefined,
  appAddr: { addr: 'https://dm.example.com:8443/oma-dm/bootstrap', addrType: 'URI', port: 8443 },
  toProxy: 'PROXY1',
  napdef: {
    napId: 'NAP1',
    name: 'Example GPRS',
    bearer: 'GSM-GPRS',
    address: 'internet.example.com',
    auth: { type: 'CHAP', name: 'user', secret: 'password' },
  },
  pxlogical: {
    proxyId: 'PROXY1',
    name: 'Example Proxy',
    physical: { physicalProxyId: 'PX1', address: '10.1.1.1', toNapId: 'NAP1', port: 8080 },
  },
};

export interface InteropCase {
  readonly name: string;
  readonly input: PushInput;
  readonly sec: SecInput;
  readonly segments: '1' | '2' | '5+';
  readonly built: BuiltPush;
  readonly stringTable: boolean;
}

export function interopCases(): InteropCase[] {
  const out: InteropCase[] = [];
  const add = (name: string, input: PushInput, segments: InteropCase['segments'], stringTable = false) => {
    for (const sec of SECS)
      out.push({
        name: `${name} ${sec.method}`,
        input,
        sec,
        segments,
        stringTable,
        built: buildPush(input, sec, { stringTable }),
      });
  };
  add('cp tiny', { profile: 'cp', model: TINY }, '1');
  add('cp medium', { profile: 'cp', model: MEDIUM }, '2');
  add('cp large', { profile: 'cp', model: LARGE }, '5+');
  add('cp example-a strtbl', { profile: 'cp', model: EXAMPLE_A }, '5+', true);
  add('dm example-c', { profile: 'dm', model: EXAMPLE_C }, '5+');
  add('dm example-c opaque-tnds', { profile: 'dm', model: { ...EXAMPLE_C, tnds: 'opaque' } }, '5+');
  add('dm example-c xml-text-tnds', { profile: 'dm', model: { ...EXAMPLE_C, tnds: 'xml-text' } }, '5+');
  add('dm example-c wbxml-hex-tnds', { profile: 'dm', model: { ...EXAMPLE_C, tnds: 'wbxml-hex' } }, '5+');
  return out;
}
