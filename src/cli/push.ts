/**
 * `bootline push build|inspect` — build a signed Bootstrap push, or dissect one layer by layer.
 *
 *   bootline push build (--xml FILE | --model FILE) [--profile cp|dm] --sec METHOD
 *        [--pin PIN] [--imsi IMSI] [--user-key K] [--format hex|binary|segments]
 *        [--tid N] [--app-id N|none] [--reference N] [--reference-bits 8|16]
 *        [--data-coding 0x04|0xF5] [--string-table] [--tnds inline|opaque|xml-text|wbxml-hex] [--out FILE]
 *   bootline push inspect [FILE|-] [--pin PIN] [--imsi IMSI] [--user-code K‖m] [--strict | --lenient]
 *        input: hex text (one WSP PDU, or one short_message (UDH ‖ payload) per line) or the
 *        binary WSP PDU `--format binary` writes. Strict (the default) ends with a verdict line
 *        and exits 3 when a strict handset would refuse the push; --lenient only shows it.
 */
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  buildWspPush,
  computeMac,
  CONTENT_TYPE_CP,
  CONTENT_TYPE_DM,
  APP_ID_SYNCML_DM,
  buildPush,
  encodeWbxml,
  formatInspection,
  inspectPush,
  segmentPush,
  type BuiltPush,
  type SecInput,
  type SecMethod,
  type PushInput,
  type DataCoding,
  TNDS_ENCODINGS,
  type TndsEncoding,
} from '../codec/index.js';
import type { CliCommand, CliIO } from './io.js';
import { PROFILE_USAGE, profile } from './push-profile.js';
import { fail, hex, parseHex, readInput, usageError, writeOutput } from './wbxml.js';

export const PUSH_USAGE = `\
usage: bootline push build (--xml FILE | --model FILE) [--profile cp|dm] --sec NETWPIN|USERPIN|USERNETWPIN|USERPINMAC
                          [--pin PIN] [--imsi IMSI] [--user-key K] [--format hex|binary|segments]
                          [--tid N] [--app-id N|none] [--reference N] [--reference-bits 8|16]
                          [--data-coding 0x04|0xF5] [--string-table] [--tnds inline|opaque|xml-text|wbxml-hex]
                          [--out FILE]
       bootline push inspect [FILE|-] [--pin PIN] [--imsi IMSI] [--user-code CODE] [--strict | --lenient]
${PROFILE_USAGE.replace('usage: ', '       ')}`;

const METHODS: readonly SecMethod[] = ['NETWPIN', 'USERPIN', 'USERNETWPIN', 'USERPINMAC'];

/** SEC input from flags; for USERPINMAC, K comes from --user-key (or --pin). */
export function secFromFlags(method: string, v: { pin?: string; imsi?: string; 'user-key'?: string }): SecInput {
  const m = method.toUpperCase();
  const need = (x: string | undefined, flag: string) => {
    if (x === undefined) throw new Error(`--sec ${m} needs ${flag}`);
    return x;
  };
  switch (m) {
    case 'NETWPIN':
      return { method: m, imsi: need(v.imsi, '--imsi') };
    case 'USERPIN':
      return { method: m, pin: need(v.pin, '--pin') };
    case 'USERNETWPIN':
      return { method: m, imsi: need(v.imsi, '--imsi'), pin: need(v.pin, '--pin') };
    case 'USERPINMAC':
      return { method: m, userKey: need(v['user-key'] ?? v.pin, '--user-key') };
    default:
      throw new Error(`--sec must be one of ${METHODS.join(', ')}`);
  }
}

function int(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${flag} ${v} is not an integer`);
  return n;
}

async function fromModel(
  io: CliIO,
  file: string,
  profileFlag: string | undefined,
  sec: SecInput,
  opts: Parameters<typeof buildPush>[2],
  tnds: TndsEncoding | undefined,
): Promise<BuiltPush> {
  const data = parseYaml((await readInput(io, file)).toString('utf8')) as Record<string, unknown>;
  const profile = profileFlag ?? data.profile;
  if (profile !== 'cp' && profile !== 'dm')
    throw new Error('give --profile cp|dm (or a "profile" key in the model file)');
  if (tnds !== undefined && profile !== 'dm') throw new Error('--tnds is for a DM-profile model');
  const model = { ...((data.model ?? data) as PushInput['model']), ...(tnds ? { tnds } : {}) };
  return buildPush({ profile, model } as PushInput, sec, opts);
}

async function fromXml(
  io: CliIO,
  file: string,
  profileFlag: string | undefined,
  sec: SecInput,
  o: { tid?: number; applicationId?: number | null; stringTable: boolean },
) {
  const body = encodeWbxml((await readInput(io, file)).toString('utf8'), { stringTable: o.stringTable });
  const dm = (profileFlag ?? (body[1] === 0x0b ? 'cp' : 'dm')) === 'dm';
  const mac = computeMac(body, sec);
  const applicationId = o.applicationId === undefined ? (dm ? APP_ID_SYNCML_DM : null) : o.applicationId;
  return {
    body,
    mac,
    wsp: buildWspPush({
      tid: o.tid ?? 1,
      contentType: dm ? CONTENT_TYPE_DM : CONTENT_TYPE_CP,
      sec: sec.method,
      mac,
      applicationId,
      body,
    }),
  };
}

async function build(args: string[], io: CliIO): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      xml: { type: 'string' },
      model: { type: 'string' },
      profile: { type: 'string' },
      sec: { type: 'string' },
      pin: { type: 'string' },
      imsi: { type: 'string' },
      'user-key': { type: 'string' },
      format: { type: 'string' },
      tid: { type: 'string' },
      'app-id': { type: 'string' },
      reference: { type: 'string' },
      'reference-bits': { type: 'string' },
      'data-coding': { type: 'string' },
      'string-table': { type: 'boolean' },
      tnds: { type: 'string' },
      out: { type: 'string', short: 'o' },
    },
  });
  if (v.tnds !== undefined && !(TNDS_ENCODINGS as readonly string[]).includes(v.tnds))
    return usageError(io, PUSH_USAGE, `--tnds is one of ${TNDS_ENCODINGS.join(', ')}`);
  if (v.tnds !== undefined && v.model === undefined)
    return usageError(io, PUSH_USAGE, '--tnds needs --model (an XML document carries its own TNDS)');
  if ((v.xml === undefined) === (v.model === undefined))
    return usageError(io, PUSH_USAGE, 'give exactly one of --xml and --model');
  if (v.sec === undefined) return usageError(io, PUSH_USAGE, '--sec is required');
  if (v.profile !== undefined && v.profile !== 'cp' && v.profile !== 'dm')
    return usageError(io, PUSH_USAGE, '--profile is cp or dm');
  const sec = secFromFlags(v.sec, v);
  const tid = int(v.tid, '--tid');
  const applicationId =
    v['app-id'] === undefined ? undefined : v['app-id'] === 'none' ? null : int(v['app-id'], '--app-id');
  const common = {
    ...(tid === undefined ? {} : { tid }),
    ...(applicationId === undefined ? {} : { applicationId }),
    stringTable: v['string-table'] ?? false,
  };
  const built =
    v.model !== undefined
      ? await fromModel(io, v.model, v.profile, sec, common, v.tnds as TndsEncoding | undefined)
      : await fromXml(io, v.xml!, v.profile, sec, common);
  if ('userCode' in built && built.userCode) io.stderr.write(`USERPINMAC user code: ${built.userCode}\n`);
  const format = v.format ?? 'hex';
  if (format === 'binary') await writeOutput(io, v.out, built.wsp);
  else if (format === 'hex') await writeOutput(io, v.out, Buffer.from(hex(built.wsp) + '\n'));
  else if (format === 'segments') {
    const segs = segmentPush(built.wsp, {
      reference: int(v.reference, '--reference') ?? 0,
      referenceBits: (int(v['reference-bits'], '--reference-bits') ?? 8) as 8 | 16,
      dataCoding: (v['data-coding'] === undefined ? 0x04 : Number(v['data-coding'])) as DataCoding,
    });
    await writeOutput(io, v.out, Buffer.from(segs.map((s) => hex(s.shortMessage) + '\n').join('')));
  } else return usageError(io, PUSH_USAGE, '--format is hex, binary or segments');
  return 0;
}

/**
 * What `inspect` reads: hex text (one WSP PDU, or one short_message per line; `#` comments) or
 * binary — what `push build --format binary` writes: one WSP PDU (octet 1 is 0x06, Push), else
 * one short_message.
 */
export function inspectInput(buf: Buffer): { wsp: Uint8Array } | { segments: Uint8Array[] } {
  const lines = buf
    .toString('latin1')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const text = lines.length > 0 && lines.every((l) => /^[0-9A-Fa-f\s]+$/.test(l));
  const chunks = text ? lines.map(parseHex) : [buf];
  return chunks.length === 1 && chunks[0]![1] === 0x06 ? { wsp: chunks[0]! } : { segments: chunks };
}

async function inspect(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      pin: { type: 'string' },
      imsi: { type: 'string' },
      'user-code': { type: 'string' },
      strict: { type: 'boolean' },
      lenient: { type: 'boolean' },
    },
  });
  if (v.strict && v.lenient) return usageError(io, PUSH_USAGE, 'give --strict or --lenient, not both');
  const strict = !v.lenient;
  const report = inspectPush(inspectInput(await readInput(io, positionals[0])), {
    ...(v.pin === undefined ? {} : { pin: v.pin }),
    ...(v.imsi === undefined ? {} : { imsi: v.imsi }),
    ...(v['user-code'] === undefined ? {} : { userCode: v['user-code'] }),
  });
  io.stdout.write(formatInspection(report, { strict }));
  if (strict) return report.verdict === 'refused' ? 3 : 0;
  return report.mac.status === 'mismatch' || report.userCode?.status === 'mismatch' ? 3 : 0;
}

export const run: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  try {
    if (sub === 'build') return await build(rest, io);
    if (sub === 'inspect') return await inspect(rest, io);
    if (sub === 'profile') return await profile(rest, io);
    return usageError(
      io,
      PUSH_USAGE,
      sub === undefined ? 'a sub-command is required (build, inspect, profile)' : `unknown sub-command "${sub}"`,
    );
  } catch (err) {
    return fail(io, err, PUSH_USAGE);
  }
};
